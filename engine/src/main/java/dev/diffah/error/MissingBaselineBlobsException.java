package dev.diffah.error;

import dev.diffah.model.Digest;
import java.util.List;
import java.util.stream.Collectors;

/** The baseline offered at import lacks blobs the delta needs from it. */
public class MissingBaselineBlobsException extends ContentException {
  private final List<Digest> missing;

  public MissingBaselineBlobsException(String baseline, List<Digest> missing) {
    super(
        "baseline "
            + baseline
            + " lacks "
            + missing.size()
            + " blob(s) the delta requires: "
            + missing.stream().map(Digest::toString).collect(Collectors.joining(", ")),
        "import against the baseline image the delta was exported from (see 'diffah inspect')");
    this.missing = List.copyOf(missing);
  }

  public List<Digest> missing() {
    return missing;
  }
}
