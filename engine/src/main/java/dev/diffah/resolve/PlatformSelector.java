package dev.diffah.resolve;

import dev.diffah.error.NoSuchPlatformException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Platform;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks one entry of a manifest list: the exact platform first, then the closest compatible variant,
 * whatever the list order. Without a wanted platform, only a list of one runnable image is unambiguous.
 */
final class PlatformSelector {
  private PlatformSelector() {}

  static Descriptor select(List<Descriptor> images, Optional<Platform> wanted, String where) {
    List<Descriptor> runnable =
        images.stream().filter(PlatformSelector::isRunnable).collect(Collectors.toList());
    if (wanted.isEmpty()) {
      if (runnable.size() == 1) {
        return runnable.get(0);
      }
      throw new UsageException(
          where + " is a manifest list with " + runnable.size() + " platforms: " + describe(runnable),
          "choose one with --platform os/arch[/variant]");
    }
    Platform want = wanted.get();
    Optional<Descriptor> exact =
        runnable.stream().filter(d -> d.platform() != null && want.matches(d.platform())).findFirst();
    if (exact.isPresent()) {
      return exact.get();
    }
    return runnable.stream()
        .filter(d -> d.platform() != null && want.isCompatibleWith(d.platform()))
        .max(Comparator.comparingInt(d -> d.platform().normalized().variantRank()))
        .orElseThrow(
            () ->
                new NoSuchPlatformException(
                    where + " has no image for platform " + want + "; it has " + describe(runnable),
                    "choose one of those with --platform"));
  }

  /** Attestation and unknown-platform entries (as buildx writes them) are not images to run. */
  private static boolean isRunnable(Descriptor d) {
    Platform p = d.platform();
    return p == null || !("unknown".equals(p.os()) && "unknown".equals(p.architecture()));
  }

  private static String describe(List<Descriptor> entries) {
    return entries.stream()
        .map(d -> d.platform() == null ? "(no platform) " + d.digest().shortForm() : d.platform().toString())
        .collect(Collectors.joining(", "));
  }
}
