package dev.diffah.spi;

import java.nio.file.Path;
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
   * <p>Without {@link DestinationOptions#replaceExisting()}, an existing target is a usage error
   * raised at open, before any work.
   */
  Mono<ImageDestination> openDestination(DestinationOptions options);

  /** The local file or directory the image lives in, for transports that have one. */
  default Optional<Path> localPath() {
    return Optional.empty();
  }

  /** The full {@code transport:reference} text, as a user would type it. */
  @Override
  String toString();
}
