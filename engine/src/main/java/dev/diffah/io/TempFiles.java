package dev.diffah.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every temporary file and directory diffah has open, so that a process being stopped (Ctrl-C, a
 * kill) can remove them: pipelines clean up after themselves, but a JVM that exits does not wait
 * for them.
 */
public final class TempFiles {
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

  private TempFiles() {}

  static void register(Path path) {
    PENDING.add(path);
  }

  static void release(Path path) {
    PENDING.remove(path);
  }

  /** Creates a temporary file that a stopped process removes too. */
  public static Path createFile(Path dir, String prefix, String suffix) throws java.io.IOException {
    Path file = dir == null ? java.nio.file.Files.createTempFile(prefix, suffix) : java.nio.file.Files.createTempFile(dir, prefix, suffix);
    register(file);
    return file;
  }

  /** Deletes a temporary and forgets it. */
  public static void delete(Path path) {
    AtomicOutput.deleteQuietly(path);
    release(path);
  }

  /** Deletes every temporary still registered; for shutdown hooks. */
  public static void deleteAll() {
    for (Path path : List.copyOf(PENDING)) {
      AtomicOutput.deleteQuietly(path);
      PENDING.remove(path);
    }
  }
}
