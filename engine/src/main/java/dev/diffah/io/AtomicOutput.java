package dev.diffah.io;

import dev.diffah.error.IoErrors;
import dev.diffah.error.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output file or directory written under a temporary name beside its target and renamed into
 * place only when complete. {@link #close()} before {@link #commit()} removes the temporary.
 */
public final class AtomicOutput implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final boolean replace;
  private boolean committed;

  private AtomicOutput(Path target, Path temp, boolean replace) {
    this.target = target;
    this.temp = temp;
    this.replace = replace;
  }

  /**
   * Reserves a temporary path beside {@code target}. An existing file at the target is a usage
   * error unless {@code replace}; an existing directory always is, since replacing it would delete
   * whatever else the user keeps there.
   */
  public static AtomicOutput begin(Path target, boolean directory, boolean replace) {
    if (target.toString().isEmpty()) {
      throw new UsageException("the output path is empty", "pass --output PATH");
    }
    Path absolute = target.toAbsolutePath().normalize();
    checkTarget(absolute, replace);
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException(
          "output directory " + parent + " does not exist", "create it first or choose another --output");
    }
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    Path temp = parent.resolve(absolute.getFileName() + "." + suffix + ".tmp");
    try {
      TempFiles.create(() -> directory ? Files.createDirectory(temp) : Files.createFile(temp));
    } catch (IOException e) {
      throw IoErrors.wrap("creating temporary output beside " + absolute, e);
    }
    return new AtomicOutput(absolute, temp, replace);
  }

  /** Fails with a usage error when the target exists and may not be replaced. */
  public static void checkTarget(Path target, boolean replace) {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "output " + target + " is an existing directory, which diffah never replaces",
          "choose a path that does not exist yet, or remove the directory yourself");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && !Files.isSymbolicLink(target)) {
      throw new UsageException(
          "output " + target + " exists and is not a regular file (a device, pipe or socket), which diffah never replaces",
          "choose a path for a new file");
    }
    if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new UsageException(
          "output " + target + " already exists", "remove it, choose another path, or pass --force");
    }
  }

  public Path target() {
    return target;
  }

  /** Where to write until commit. */
  public Path temp() {
    return temp;
  }

  /**
   * Moves the temporary into place (replacing the target only when allowed). Refused once the
   * process is stopping: a stop either comes after the move, or leaves the target untouched.
   */
  public void commit() {
    TempFiles.unlessStopping(
        () -> {
          try {
            checkTarget(target, replace);
            // rename(2) puts a directory only where nothing is: a replaced file must go first
            if (Files.isDirectory(temp)) {
              Files.deleteIfExists(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            TempFiles.release(temp);
          } catch (IOException e) {
            throw IoErrors.wrap("moving output into place at " + target, e);
          }
        });
  }

  @Override
  public void close() {
    if (!committed) {
      deleteQuietly(temp);
      TempFiles.release(temp);
    }
  }

  /** Removes a file or a directory tree, ignoring what is already gone. */
  public static void deleteQuietly(Path path) {
    try {
      deleteRecursively(path);
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: the caller is already failing and reports the original cause
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
