package dev.diffah.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a blob's bytes lie on the local filesystem: a whole file (a layout's blob) or a stretch
 * of one (an entry of a tar archive). A destination may copy such a region in the kernel, or link
 * a whole file, instead of writing bytes that went through the JVM.
 */
public record FileRegion(Path file, long offset, long length) {
  /** Whether the region is the entire file, so that a hard link gives exactly the blob. */
  public boolean wholeFile() {
    try {
      return offset == 0 && Files.size(file) == length;
    } catch (IOException e) {
      return false;
    }
  }
}
