package dev.diffah.transport.registry;

import dev.diffah.spi.ImageReference;
import dev.diffah.spi.Transport;

/** {@code docker://HOST[:PORT]/REPO[:TAG|@DIGEST]}: an image in a registry. */
public final class DockerTransport implements Transport {
  @Override
  public String name() {
    return "docker";
  }

  /** Parses with the default registry options (verified TLS, auth files from the environment). */
  @Override
  public ImageReference parse(String reference) {
    return parse(reference, RegistryOptions.defaults());
  }

  public ImageReference parse(String reference, RegistryOptions options) {
    return new DockerReference(this, RegistryReference.parse(reference), options);
  }

  /** Stops the threads registries were reached with, if any, before the process exits. */
  public static reactor.core.publisher.Mono<Void> releaseNetworkThreads() {
    return RegistryHttp.releaseThreads();
  }
}
