package dev.diffah.transport.dir;

import dev.diffah.model.Digest;
import java.nio.charset.StandardCharsets;

/**
 * The containers-image {@code dir:} layout: a {@code version} file, {@code manifest.json}, blobs
 * named by their hex digest and, for an index, its instances at {@code <hex>.manifest.json}.
 */
final class DirLayout {
  static final String VERSION_FILE = "version";
  static final String VERSION_PREFIX = "Directory Transport Version: ";
  static final byte[] VERSION = (VERSION_PREFIX + "1.1\n").getBytes(StandardCharsets.UTF_8);
  static final String MANIFEST_FILE = "manifest.json";
  /** The version file is one short line. */
  static final int MAX_VERSION_BYTES = 256;

  private DirLayout() {}

  /** A blob's file name: safe because a {@link Digest}'s hex is always well formed. */
  static String blobName(Digest digest) {
    return digest.hex();
  }

  static String instanceManifestName(Digest digest) {
    return digest.hex() + "." + MANIFEST_FILE;
  }
}
