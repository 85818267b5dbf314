package dev.diffah.spi;

import java.util.Optional;
import reactor.core.publisher.Mono;

/** A parsed {@code transport:reference}: where an image is, and how to open it. */
public interface ImageReference {
  Transport transport();

  /** Opens the image for reading. Nothing happens until the Mono is subscribed. */
  Mono<ImageSource> openSource();

  /**
   * Prepares a destination that writes an image here. Nothing is visible at the reference until
   * {@link ImageDestination#commit()}.
   *
   * @param imageName the {@code repository:tag} the written image carries, if any
   */
  Mono<ImageDestination> openDestination(Optional<String> imageName);

  /** The full {@code transport:reference} text, as a user would type it. */
  @Override
  String toString();
}
