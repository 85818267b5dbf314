package dev.diffah.transport;

import dev.diffah.error.UsageException;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.Transport;
import dev.diffah.transport.registry.DockerTransport;
import dev.diffah.transport.registry.RegistryOptions;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import reactor.core.publisher.Mono;

/**
 * The transports on the class path, found with {@link ServiceLoader}, and the parser of skopeo-style
 * {@code transport:reference} strings (split at the first colon).
 */
public final class Transports {
  private static final Map<String, Transport> BY_NAME = load();

  private Transports() {}

  /** Parses {@code transport:reference}; a missing or unknown transport is a usage error. */
  public static ImageReference parse(String text) {
    return parse(text, RegistryOptions.defaults());
  }

  /**
   * Parses {@code transport:reference}; a {@code docker://} reference reaches its registry with
   * {@code registryOptions} (other transports ignore them).
   */
  public static ImageReference parse(String text, RegistryOptions registryOptions) {
    if (text == null || text.isBlank()) {
      throw new UsageException("empty image reference", "use transport:reference, e.g. oci-archive:./app.tar");
    }
    int colon = text.indexOf(':');
    Transport transport = colon < 0 ? null : BY_NAME.get(text.substring(0, colon));
    if (transport == null) {
      throw new UsageException(
          "'" + text + "' does not start with a known transport",
          "prefix it with one of " + prefixes() + " (e.g. oci-archive:" + text + ")");
    }
    String reference = text.substring(colon + 1);
    if (transport instanceof DockerTransport docker) {
      return docker.parse(reference, registryOptions);
    }
    return transport.parse(reference);
  }

  /** How references of each transport start: {@code docker://}, {@code oci-archive:}, ... */
  private static String prefixes() {
    return BY_NAME.keySet().stream()
        .map(name -> name.equals("docker") ? name + "://" : name + ":")
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** The transport registered under {@code name}, e.g. for {@code --output-format}. */
  public static Transport byName(String name) {
    Transport transport = BY_NAME.get(name);
    if (transport == null) {
      throw new UsageException(
          "unknown transport or format '" + name + "'", "use one of " + String.join(", ", BY_NAME.keySet()));
    }
    return transport;
  }

  /** Stops the threads registries were reached with, if any, for a process about to exit. */
  public static Mono<Void> releaseNetworkThreads() {
    return DockerTransport.releaseNetworkThreads();
  }

  public static Iterable<String> names() {
    return BY_NAME.keySet();
  }

  private static Map<String, Transport> load() {
    Map<String, Transport> byName = new TreeMap<>();
    for (Transport t : ServiceLoader.load(Transport.class, Transports.class.getClassLoader())) {
      byName.put(t.name(), t);
    }
    return java.util.Collections.unmodifiableMap(byName);
  }
}
