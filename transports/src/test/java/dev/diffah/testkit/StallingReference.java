package dev.diffah.testkit;

import dev.diffah.model.Descriptor;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A real image reference whose layer streams deliver their bytes and then stall forever, so a test
 * can cancel a pipeline at a known point: mid-blob, with output already being written. As an
 * output ({@link #stallingCopies}), it stalls after the kernel copied a layer instead.
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
  private final boolean stallsCopies;
  private final Semaphore stalls = new Semaphore(0);

  public StallingReference(ImageReference real) {
    this(real, false, false);
  }

  private StallingReference(ImageReference real, boolean overNetwork, boolean stallsCopies) {
    super(real);
    this.overNetwork = overNetwork;
    this.stallsCopies = stallsCopies;
  }

  /**
   * An output whose layers, copied by the kernel from a local region, land whole (and are being
   * verified) while the put itself never completes: cancels the copy-and-verify path midway.
   */
  public static StallingReference stallingCopies(ImageReference real) {
    return new StallingReference(real, false, true);
  }

  /** The same, but its source claims to fetch over the network, so an export fetches (and spools) blobs in parallel. */
  public static StallingReference overNetwork(ImageReference real) {
    return new StallingReference(real, true, false);
  }

  /** Waits (10 s at most) until {@code streams} layer streams have sent their bytes and stalled. */
  public boolean awaitStalls(int streams) throws InterruptedException {
    return stalls.tryAcquire(streams, 10, TimeUnit.SECONDS);
  }

  @Override
  protected ImageSource wrap(ImageSource source) {
    return new Stalling(source);
  }

  @Override
  public Mono<ImageDestination> openDestination(DestinationOptions options) {
    Mono<ImageDestination> real = super.openDestination(options);
    return stallsCopies ? real.map(StallingCopies::new) : real;
  }

  private static boolean isLayer(Descriptor descriptor) {
    return descriptor.mediaType() != null && LAYER_TYPES.contains(descriptor.mediaType());
  }

  private final class StallingCopies implements ImageDestination {
    private final ImageDestination destination;

    StallingCopies(ImageDestination destination) {
      this.destination = destination;
    }

    @Override
    public ImageReference reference() {
      return StallingReference.this;
    }

    @Override
    public Mono<Void> putBlob(Descriptor descriptor, Flux<ByteBuffer> content) {
      return destination.putBlob(descriptor, content);
    }

    @Override
    public Mono<Void> putBlobRegion(Descriptor descriptor, FileRegion region, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
      Mono<Void> copy = destination.putBlobRegion(descriptor, region, verified, landed);
      return isLayer(descriptor) ? copy.then(Mono.<Void>never().doOnSubscribe(s -> stalls.release())) : copy;
    }

    @Override
    public Mono<Void> putManifest(RawManifest manifest) {
      return destination.putManifest(manifest);
    }

    @Override
    public Mono<Void> commit() {
      return destination.commit();
    }

    @Override
    public void close() {
      destination.close();
    }
  }

  private final class Stalling extends Source {
    Stalling(ImageSource source) {
      super(source);
    }

    @Override
    public Flux<ByteBuffer> blob(Descriptor descriptor) {
      if (!isLayer(descriptor)) {
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
