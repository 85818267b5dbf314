package dev.diffah.spi;

import java.util.Optional;

/**
 * How to write an image.
 *
 * @param imageName the {@code repository:tag} the written image carries (RepoTags, ref.name)
 * @param replaceExisting whether an existing file or directory at the reference may be replaced;
 *     when false, an existing target is a usage error
 */
public record DestinationOptions(Optional<String> imageName, boolean replaceExisting) {
  public DestinationOptions {
    imageName = imageName == null ? Optional.empty() : imageName;
  }
}
