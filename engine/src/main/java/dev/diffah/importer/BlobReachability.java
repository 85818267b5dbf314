package dev.diffah.importer;

import dev.diffah.model.Digest;

/**
 * Whether one blob the delta requires can be had from the baseline, and how that was found.
 *
 * @param how {@code manifest} (listed by the baseline's manifest), {@code probe} (present in the
 *     baseline's storage) or {@code missing}
 */
public record BlobReachability(Digest digest, long size, String how) {
  public boolean reachable() {
    return !"missing".equals(how);
  }
}
