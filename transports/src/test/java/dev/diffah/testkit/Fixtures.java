package dev.diffah.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real image archives shipped in {@code testdata/fixtures/} (written by other tools). */
public final class Fixtures {
  private Fixtures() {}

  /** The project root: the nearest ancestor of the working directory holding testdata/fixtures. */
  public static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("testdata/fixtures"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("testdata/fixtures not found above " + Path.of("").toAbsolutePath());
  }

  /** A fixture by file name, e.g. {@code v1_oci.tar}. */
  public static Path fixture(String name) {
    Path path = projectRoot().resolve("testdata/fixtures").resolve(name);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("no fixture " + path);
    }
    return path;
  }
}
