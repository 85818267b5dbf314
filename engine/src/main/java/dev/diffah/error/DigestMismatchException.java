package dev.diffah.error;

import dev.diffah.model.Digest;

/** A blob's bytes did not hash to, or did not add up to, what its descriptor promised. */
public class DigestMismatchException extends ContentException {
  public DigestMismatchException(String where, Digest expected, String detail) {
    super(
        "blob " + expected + " from " + where + " is corrupt: " + detail,
        "the source is damaged or was changed after it was written; fetch or export it again");
  }
}
