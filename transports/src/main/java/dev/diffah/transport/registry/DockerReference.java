package dev.diffah.transport.registry;

import dev.diffah.error.UsageException;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.spi.Transport;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** A {@code docker://} reference with the options its registry is reached with. */
public final class DockerReference implements ImageReference {
  private final Transport transport;
  private final RegistryReference name;
  private final RegistryOptions options;
  private final Duration backoff;

  DockerReference(Transport transport, RegistryReference name, RegistryOptions options) {
    this(transport, name, options, RegistryExecutor.DEFAULT_BACKOFF);
  }

  private DockerReference(Transport transport, RegistryReference name, RegistryOptions options, Duration backoff) {
    this.transport = transport;
    this.name = name;
    this.options = options;
    this.backoff = backoff;
  }

  public RegistryReference name() {
    return name;
  }

  public RegistryOptions options() {
    return options;
  }

  /** The same reference with another first retry delay (tests use a short one). */
  public DockerReference withBackoff(Duration value) {
    return new DockerReference(transport, name, options, value);
  }

  @Override
  public Transport transport() {
    return transport;
  }

  /** Credentials are looked up (reading auth files) when the source opens, not at parse time. */
  @Override
  public Mono<ImageSource> openSource() {
    return Mono.fromCallable(() -> (ImageSource) new RegistrySource(this, new RegistryExecutor(name, options, backoff)))
        .subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public Mono<ImageDestination> openDestination(DestinationOptions destinationOptions) {
    return Mono.error(
        new UsageException(
            "writing to a registry (" + this + ") is not supported yet",
            "write to docker-archive:, oci-archive:, oci: or dir:, then push with skopeo copy"));
  }

  @Override
  public String toString() {
    return name.toString();
  }
}
