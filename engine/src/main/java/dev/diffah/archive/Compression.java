package dev.diffah.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Whole-archive compression of a delta, recognised on read by its magic bytes alone. */
public enum Compression {
  NONE,
  ZSTD;

  private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};

  /** Sniffs the first bytes of {@code file}. */
  public static Compression detect(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(ZSTD_MAGIC.length);
      return Arrays.equals(head, ZSTD_MAGIC) ? ZSTD : NONE;
    }
  }
}
