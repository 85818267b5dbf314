package dev.diffah.testkit;

import dev.diffah.model.Descriptor;
import dev.diffah.model.MediaTypes;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * A real image reference whose layer streams deliver their bytes and then stall forever, so a test
 * can cancel a pipeline at a known point: mid-blob, with output already being written.
 */
public final class StallingReference extends ForwardingReference {
  private static final List<String> LAYER_TYPES =
      List.of(
          MediaTypes.OCI_LAYER,
          MediaTypes.OCI_LAYER_GZIP,
          MediaTypes.OCI_LAYER_ZSTD,
          MediaTypes.DOCKER_LAYER,
          MediaTypes.DOCKER_LAYER_GZIP,
          MediaTypes.DOCKER_LAYER_ZSTD);

  private final boolean overNetwork;
  private final Semaphore stalls = new Semaphore(0);

  public StallingReference(ImageReference real) {
    this(real, false);
  }

  private StallingReference(ImageReference real, boolean overNetwork) {
    super(real);
    this.overNetwork = overNetwork;
  }

  /** The same, but its source claims to fetch over the network, so an export fetches (and spools) blobs in parallel. */
  public static StallingReference overNetwork(ImageReference real) {
    return new StallingReference(real, true);
  }

  /** Waits (10 s at most) until {@code streams} layer streams have sent their bytes and stalled. */
  public boolean awaitStalls(int streams) throws InterruptedException {
    return stalls.tryAcquire(streams, 10, TimeUnit.SECONDS);
  }

  @Override
  protected ImageSource wrap(ImageSource source) {
    return new Stalling(source);
  }

  private final class Stalling extends Source {
    Stalling(ImageSource source) {
      super(source);
    }

    @Override
    public Flux<ByteBuffer> blob(Descriptor descriptor) {
      if (descriptor.mediaType() == null || !LAYER_TYPES.contains(descriptor.mediaType())) {
        return source.blob(descriptor);
      }
      return source.blob(descriptor).concatWith(Flux.<ByteBuffer>never().doOnSubscribe(s -> stalls.release()));
    }

    @Override
    public boolean fetchesOverNetwork() {
      return overNetwork;
    }
  }
}
