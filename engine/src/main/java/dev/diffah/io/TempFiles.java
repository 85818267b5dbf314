package dev.diffah.io;

import dev.diffah.error.DiffahException;
import dev.diffah.error.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Every temporary file and directory diffah has open, so that a process being stopped (Ctrl-C, a
 * kill) can remove them: pipelines clean up after themselves, but a JVM that exits does not wait
 * for them. Creation and registration happen as one step, so a stop never misses a file.
 */
public final class TempFiles {
  private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger CREATING = new AtomicInteger();
  private static final long STOP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final Object COMMITS = new Object();
  private static volatile boolean stopping;

  private TempFiles() {}

  /** Something that creates a file or directory and returns its path. */
  @FunctionalInterface
  public interface Creation {
    Path create() throws IOException;
  }

  /** Creates a temporary (file or directory) and registers it; refused once the process stops. */
  public static Path create(Creation creation) throws IOException {
    CREATING.incrementAndGet();
    try {
      if (stopping) {
        throw new DiffahException(ErrorKind.ENVIRONMENT, "stopping: no new temporary files", "run the command again");
      }
      Path path = creation.create();
      PENDING.add(path);
      return path;
    } finally {
      CREATING.decrementAndGet();
    }
  }

  /** Creates a temporary file ({@code dir} null: the system's temporary directory). */
  public static Path createFile(Path dir, String prefix, String suffix) throws IOException {
    return create(() -> dir == null ? Files.createTempFile(prefix, suffix) : Files.createTempFile(dir, prefix, suffix));
  }

  static void release(Path path) {
    PENDING.remove(path);
  }

  /**
   * Runs {@code commit} (moving an output into place) unless the process is stopping; a stop that
   * arrives meanwhile waits for it, so an output is either fully in place or never placed.
   */
  static void unlessStopping(Runnable commit) {
    synchronized (COMMITS) {
      if (stopping) {
        throw new DiffahException(ErrorKind.ENVIRONMENT, "stopping: the output is not put in place", "run the command again");
      }
      commit.run();
    }
  }

  /** Deletes a temporary and forgets it. */
  public static void delete(Path path) {
    AtomicOutput.deleteQuietly(path);
    release(path);
  }

  /**
   * For shutdown hooks: refuses new temporaries, lets creations under way finish registering
   * (bounded), then deletes every temporary still registered. A worker of the cancelled pipeline
   * may still add a file to a temporary directory while it is being deleted, so deletion is
   * retried until each one is gone (bounded too).
   */
  public static void deleteAll() {
    synchronized (COMMITS) {
      stopping = true;
    }
    long deadline = System.nanoTime() + STOP_WAIT_NANOS;
    while (CREATING.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    for (Path path : List.copyOf(PENDING)) {
      AtomicOutput.deleteQuietly(path);
      while (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        AtomicOutput.deleteQuietly(path);
      }
      release(path);
    }
  }
}
