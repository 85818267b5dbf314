package dev.diffah.transport.dockerarchive;

import dev.diffah.error.UsageException;

/** Which image of a multi-image docker-archive a reference means: {@code NAME:TAG} or {@code @INDEX}. */
sealed interface ImageSelector {
  /** The selector as written after the path. */
  String text();

  record ByName(String name) implements ImageSelector {
    @Override
    public String text() {
      return name;
    }
  }

  record ByIndex(int index) implements ImageSelector {
    @Override
    public String text() {
      return "@" + index;
    }
  }

  static ImageSelector parse(String text, String reference) {
    if (text.startsWith("@")) {
      return new ByIndex(parseIndex(text.substring(1), reference));
    }
    if (text.isEmpty()) {
      throw new UsageException(
          "'" + reference + "' ends with ':' but names no image",
          "write docker-archive:PATH, docker-archive:PATH:NAME:TAG or docker-archive:PATH:@INDEX");
    }
    return new ByName(DockerNames.withTag(text));
  }

  private static int parseIndex(String digits, String reference) {
    if (!digits.matches("[0-9]{1,9}")) {
      throw new UsageException(
          "'" + reference + "' has an invalid image index '@" + digits + "'",
          "@INDEX counts the images in manifest.json from 0, e.g. docker-archive:images.tar:@1");
    }
    return Integer.parseInt(digits);
  }
}
