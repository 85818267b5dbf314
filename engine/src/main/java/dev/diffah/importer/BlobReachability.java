package dev.diffah.importer;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;

/**
 * Whether one blob the delta requires can be had from the baseline, and how that was found.
 *
 * @param how {@code manifest} (listed by the baseline's manifest), {@code probe} (present in the
 *     baseline's storage), {@code diff_id} (the baseline holds the same content in another
 *     compression: {@code substitute}) or {@code missing}
 * @param substitute for {@code diff_id}, the baseline blob that stands in for the required one
 */
public record BlobReachability(Digest digest, long size, String how, Descriptor substitute) {
  public static final String MISSING = "missing";
  public static final String BY_DIFF_ID = "diff_id";

  public boolean reachable() {
    return !MISSING.equals(how);
  }

  public boolean substituted() {
    return BY_DIFF_ID.equals(how);
  }
}
