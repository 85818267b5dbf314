package dev.diffah.testkit;

import dev.diffah.model.Descriptor;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.spi.Transport;
import java.nio.ByteBuffer;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A real image reference whose sources a test changes in one or two ways: subclasses wrap each
 * opened source in a {@link Source} that overrides what the test needs and forwards the rest.
 */
public abstract class ForwardingReference implements ImageReference {
  private final ImageReference real;

  protected ForwardingReference(ImageReference real) {
    this.real = real;
  }

  /** Wraps a source just opened from the real reference. */
  protected abstract ImageSource wrap(ImageSource source);

  @Override
  public Transport transport() {
    return real.transport();
  }

  @Override
  public Mono<ImageSource> openSource() {
    return real.openSource().map(this::wrap);
  }

  @Override
  public Mono<ImageDestination> openDestination(DestinationOptions options) {
    return real.openDestination(options);
  }

  @Override
  public String toString() {
    return real.toString();
  }

  /** Forwards every call to the real source, reporting this reference as its own. */
  protected class Source implements ImageSource {
    protected final ImageSource source;

    protected Source(ImageSource source) {
      this.source = source;
    }

    @Override
    public ImageReference reference() {
      return ForwardingReference.this;
    }

    @Override
    public Mono<RawManifest> manifest() {
      return source.manifest();
    }

    @Override
    public Mono<RawManifest> manifest(Descriptor descriptor) {
      return source.manifest(descriptor);
    }

    @Override
    public Flux<ByteBuffer> blob(Descriptor descriptor) {
      return source.blob(descriptor);
    }

    @Override
    public Mono<Boolean> hasBlob(Descriptor descriptor) {
      return source.hasBlob(descriptor);
    }

    @Override
    public Optional<String> imageName() {
      return source.imageName();
    }

    @Override
    public void close() {
      source.close();
    }
  }
}
