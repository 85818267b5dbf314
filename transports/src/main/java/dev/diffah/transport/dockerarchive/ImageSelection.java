package dev.diffah.transport.dockerarchive;

import dev.diffah.error.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Picks the image a reference means out of the images a {@code manifest.json} lists. */
final class ImageSelection {
  private ImageSelection() {}

  static ArchiveImage select(List<ArchiveImage> images, DockerArchiveReference reference) {
    Optional<ImageSelector> selector = reference.selector();
    if (selector.isEmpty()) {
      if (images.size() == 1) {
        return images.get(0);
      }
      throw choose(reference, images, "holds " + images.size() + " images and none was chosen");
    }
    if (selector.get() instanceof ImageSelector.ByIndex byIndex) {
      if (byIndex.index() >= images.size()) {
        throw choose(reference, images, "has no image @" + byIndex.index());
      }
      return images.get(byIndex.index());
    }
    return byName(images, reference, ((ImageSelector.ByName) selector.get()).name());
  }

  /**
   * An image whose RepoTags name {@code name} after docker normalisation; a name without a registry
   * also matches {@code localhost/NAME}, which podman gives locally built images.
   */
  private static ArchiveImage byName(List<ArchiveImage> images, DockerArchiveReference reference, String name) {
    List<Integer> found = matching(images, DockerNames.normalize(name));
    if (found.isEmpty() && !DockerNames.hasDomain(name)) {
      found = matching(images, DockerNames.normalize("localhost/" + name));
    }
    if (found.size() == 1) {
      return images.get(found.get(0));
    }
    String problem = found.isEmpty() ? "has no image tagged " + name : "has several images tagged " + name;
    throw choose(reference, images, problem);
  }

  private static List<Integer> matching(List<ArchiveImage> images, String normalized) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i).tags().stream().anyMatch(tag -> normalizedEquals(tag, normalized))) {
        found.add(i);
      }
    }
    return found;
  }

  private static boolean normalizedEquals(String tag, String normalized) {
    try {
      return DockerNames.normalize(tag).equals(normalized);
    } catch (UsageException malformedTag) {
      return false;
    }
  }

  private static UsageException choose(DockerArchiveReference reference, List<ArchiveImage> images, String problem) {
    String listing =
        IntStream.range(0, images.size()).mapToObj(i -> describe(images.get(i), i)).collect(Collectors.joining("; "));
    return new UsageException(
        reference.path() + " " + problem + ": " + listing,
        "pick one with docker-archive:" + reference.path() + ":NAME:TAG or docker-archive:" + reference.path() + ":@INDEX");
  }

  private static String describe(ArchiveImage image, int index) {
    List<String> tags = image.tags();
    return tags.isEmpty() ? "@" + index + " (untagged)" : String.join(", ", tags) + " (@" + index + ")";
  }
}
