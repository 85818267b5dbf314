package dev.diffah.archive;

import dev.diffah.model.Digest;

/** Entry names inside a delta archive: the containers-image {@code dir:} layout plus the sidecar. */
public final class DeltaLayout {
  public static final String SIDECAR = Sidecar.FILE_NAME;
  public static final String VERSION = "version";
  public static final String VERSION_TEXT = "Directory Transport Version: 1.1\n";
  public static final String MANIFEST = "manifest.json";

  private DeltaLayout() {}

  /** The entry a blob is stored under: its validated hex digest. */
  public static String blobEntry(Digest digest) {
    return digest.hex();
  }
}
