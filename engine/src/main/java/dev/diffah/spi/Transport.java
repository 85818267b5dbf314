package dev.diffah.spi;

/**
 * A way of storing images, named like skopeo's transports ({@code oci-archive}, {@code dir}, ...).
 * Implementations register through {@link java.util.ServiceLoader}.
 */
public interface Transport {
  /** The prefix before the first colon of a reference, e.g. {@code oci-archive}. */
  String name();

  /** Parses what follows {@code name + ":"}; throws a usage error when it is malformed. */
  ImageReference parse(String reference);

  /**
   * Whether images written here keep their manifest byte for byte (false for formats such as
   * docker-archive that have no place for a registry manifest).
   */
  default boolean keepsManifestVerbatim() {
    return true;
  }
}
