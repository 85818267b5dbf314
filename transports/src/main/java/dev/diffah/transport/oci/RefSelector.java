package dev.diffah.transport.oci;

import dev.diffah.error.ContentException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Descriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the index.json entry a reference names by its {@code org.opencontainers.image.ref.name}
 * annotation: an exact match first, else a match of the annotation's tag ({@code v1} selects
 * {@code diffah-fixture:v1}); without a name, the only entry.
 */
final class RefSelector {
  private RefSelector() {}

  static Descriptor select(List<Descriptor> entries, Optional<String> ref, String where) {
    if (entries.isEmpty()) {
      throw new ContentException(where + ": index.json lists no images", "the layout is empty; copy an image into it");
    }
    if (ref.isEmpty()) {
      if (entries.size() > 1) {
        throw new UsageException(
            where + " holds " + entries.size() + " images: " + describe(entries),
            "add one of the names to the reference, e.g. " + where + ":" + firstName(entries));
      }
      return entries.get(0);
    }
    List<Descriptor> matches = matching(entries, ref.get());
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new UsageException(
          where + " has no image named '" + ref.get() + "'; it holds " + describe(entries),
          "use one of the names listed");
    }
    throw new UsageException(
        "'" + ref.get() + "' names several images in " + where + ": " + describe(matches),
        "use the full name");
  }

  /** The ref.name annotation of an index entry. */
  static Optional<String> refName(Descriptor entry) {
    return Optional.ofNullable(entry.annotations().get(OciLayout.REF_NAME)).filter(name -> !name.isEmpty());
  }

  private static List<Descriptor> matching(List<Descriptor> entries, String ref) {
    List<Descriptor> exact = new ArrayList<>();
    List<Descriptor> byTag = new ArrayList<>();
    for (Descriptor entry : entries) {
      Optional<String> name = refName(entry);
      if (name.isEmpty()) {
        continue;
      }
      if (name.get().equals(ref)) {
        exact.add(entry);
      } else if (tagOf(name.get()).filter(ref::equals).isPresent()) {
        byTag.add(entry);
      }
    }
    return exact.isEmpty() ? byTag : exact;
  }

  /** The tag of {@code repository:tag}; a colon before the last slash is a registry port. */
  private static Optional<String> tagOf(String name) {
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? Optional.of(name.substring(colon + 1)) : Optional.empty();
  }

  private static String describe(List<Descriptor> entries) {
    List<String> names = new ArrayList<>();
    for (Descriptor entry : entries) {
      names.add(refName(entry).orElse("(unnamed " + entry.digest().shortForm() + ")"));
    }
    return String.join(", ", names);
  }

  private static String firstName(List<Descriptor> entries) {
    return entries.stream().map(RefSelector::refName).flatMap(Optional::stream).findFirst().orElse("NAME");
  }
}
