package dev.diffah.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a pipeline can leave behind in this JVM after it is cancelled: file descriptors still open
 * on the paths it used ({@code /proc/self/fd}), and threads still running its code. Take the
 * snapshot before the run; whatever JUnit or surefire had open then, or opens on paths not
 * watched, does not count. Pooled idle Reactor workers do not count either: threads are judged by
 * what is on their stack, not by how many there are.
 */
public final class LeakCheck {
  private static final Path FDS = Path.of("/proc/self/fd");
  private static final String DELETED = " (deleted)";
  private static final Pattern REACTOR_WORKER = Pattern.compile("(boundedElastic|parallel|single)-\\d+");
  private static final List<String> FILE_IO =
      List.of(
          "sun.nio.ch.FileChannelImpl",
          "sun.nio.ch.FileDispatcherImpl",
          "java.io.FileInputStream",
          "java.io.FileOutputStream",
          "java.io.RandomAccessFile");
  private static final int FRAMES_SHOWN = 15;

  private final List<Path> watched;
  private final Set<String> openBefore;
  private final Set<Thread> busyBefore;

  private LeakCheck(List<Path> watched) {
    this.watched = watched;
    this.openBefore = Set.copyOf(openDescriptors().values());
    this.busyBefore = Set.copyOf(busyThreadStacks().keySet());
  }

  /** Snapshots the descriptors open on {@code paths} (files, or directories and all below) and the busy threads. */
  public static LeakCheck before(Path... paths) {
    return new LeakCheck(Arrays.stream(paths).map(LeakCheck::canonical).toList());
  }

  /** Descriptors opened since the snapshot on a watched path, as {@code "fd -> target"}. */
  public List<String> openFiles() {
    return openDescriptors().entrySet().stream()
        .filter(e -> !openBefore.contains(e.getValue()) && isWatched(e.getValue()))
        .map(e -> e.getKey() + " -> " + e.getValue())
        .sorted()
        .toList();
  }

  /**
   * Threads other than the caller that started diffah work after the snapshot and still do it: a
   * {@code dev.diffah} frame on the stack, or a Reactor worker inside a blocking file read/write.
   */
  public List<String> busyThreads() {
    return busyThreadStacks().entrySet().stream()
        .filter(e -> !busyBefore.contains(e.getKey()))
        .map(e -> describe(e.getKey(), e.getValue()))
        .toList();
  }

  /**
   * Cleanup after a cancel runs on other threads, in steps: polls (bounded) until nothing is left
   * in three looks in a row, then asserts on the last look.
   */
  public void assertNothingLeftOpenOrRunning() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> files;
    List<String> threads;
    int cleanLooks = 0;
    do {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      files = openFiles();
      threads = busyThreads();
      cleanLooks = files.isEmpty() && threads.isEmpty() ? cleanLooks + 1 : 0;
    } while (cleanLooks < 3 && System.nanoTime() < deadline);
    assertThat(files).as("file descriptors still open on %s", watched).isEmpty();
    assertThat(threads).as("threads still running diffah work").isEmpty();
  }

  private boolean isWatched(String target) {
    if (!target.startsWith("/")) {
      return false; // pipe:[..], socket:[..], anon_inode:..
    }
    Path path = Path.of(target.endsWith(DELETED) ? target.substring(0, target.length() - DELETED.length()) : target);
    return watched.stream().anyMatch(path::startsWith);
  }

  /** Descriptor number to what it points at; descriptors closed while listing are left out. */
  private static Map<String, String> openDescriptors() {
    try (Stream<Path> fds = Files.list(FDS)) {
      return fds.flatMap(fd -> target(fd).map(t -> Map.entry(fd.getFileName().toString(), t)).stream())
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + FDS, e);
    }
  }

  private static Optional<String> target(Path fd) {
    try {
      return Optional.of(Files.readSymbolicLink(fd).toString());
    } catch (IOException closedMeanwhile) {
      return Optional.empty();
    }
  }

  private static Map<Thread, StackTraceElement[]> busyThreadStacks() {
    Thread self = Thread.currentThread();
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey() != self && runsDiffahWork(e.getKey(), e.getValue()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static boolean runsDiffahWork(Thread thread, StackTraceElement[] stack) {
    return Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("dev.diffah."))
        || REACTOR_WORKER.matcher(thread.getName()).matches()
            && Arrays.stream(stack).anyMatch(f -> FILE_IO.stream().anyMatch(f.getClassName()::startsWith));
  }

  private static String describe(Thread thread, StackTraceElement[] stack) {
    return thread.getName()
        + " ("
        + thread.getState()
        + ")"
        + Arrays.stream(stack).limit(FRAMES_SHOWN).map(f -> "\n\tat " + f).collect(Collectors.joining());
  }

  /** Descriptors name real paths: resolve symlinks of what exists (the output does not yet). */
  private static Path canonical(Path path) {
    try {
      return Files.exists(path) ? path.toRealPath() : path.toAbsolutePath().normalize();
    } catch (IOException e) {
      throw new UncheckedIOException("resolving " + path, e);
    }
  }
}
