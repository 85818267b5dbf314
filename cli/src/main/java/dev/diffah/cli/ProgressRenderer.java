package dev.diffah.cli;

import dev.diffah.model.Descriptor;
import dev.diffah.telemetry.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows progress on stderr: live bars (one per blob in flight plus a total with throughput and
 * ETA) on a terminal, a plain line every few seconds otherwise. Pipeline threads only add to
 * counters; drawing happens on a timer thread of its own, so it cannot slow the transfer.
 */
final class ProgressRenderer implements ProgressListener, AutoCloseable {
  /** How progress is shown. */
  enum Mode {
    auto,
    bars,
    lines,
    off
  }

  private static final int BAR_WIDTH = 24;

  private final PrintWriter err;
  private final boolean bars;
  private final Map<Descriptor, AtomicLong> active = new ConcurrentHashMap<>();
  private final AtomicLong done = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private volatile long totalBytes;
  private volatile int totalBlobs;
  private int linesDrawn;

  private ProgressRenderer(PrintWriter err, boolean bars) {
    this.err = err;
    this.bars = bars;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "diffah-progress");
              t.setDaemon(true);
              return t;
            });
    long period = bars ? 150 : 5000;
    timer.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
  }

  /** A listener for {@code mode}; {@code off} (or quiet) gives one that draws nothing. */
  static ProgressListener open(Mode mode, boolean quiet, PrintWriter err) {
    Mode effective = quiet ? Mode.off : mode == Mode.auto ? (stderrIsTerminal() ? Mode.bars : Mode.lines) : mode;
    return effective == Mode.off ? ProgressListener.NONE : new ProgressRenderer(err, effective == Mode.bars);
  }

  @Override
  public void planned(int blobs, long bytes) {
    totalBlobs = blobs;
    totalBytes = bytes;
  }

  @Override
  public void started(Descriptor blob, String source) {
    active.put(blob, new AtomicLong());
  }

  @Override
  public void advanced(Descriptor blob, long bytes) {
    AtomicLong seen = active.get(blob);
    if (seen != null) {
      seen.addAndGet(bytes);
    }
  }

  @Override
  public void finished(Descriptor blob) {
    active.remove(blob);
    done.addAndGet(blob.size());
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    if (bars) {
      clear();
    }
    err.flush();
  }

  private synchronized void draw() {
    if (totalBlobs == 0) {
      return;
    }
    long moved = done.get() + active.values().stream().mapToLong(AtomicLong::get).sum();
    String total = summary(moved);
    if (!bars) {
      err.println("diffah: progress " + total);
      err.flush();
      return;
    }
    clear();
    for (Map.Entry<Descriptor, AtomicLong> e : active.entrySet()) {
      err.println("  " + e.getKey().digest().shortForm() + " " + bar(e.getValue().get(), e.getKey().size()));
      linesDrawn++;
    }
    err.println("  total " + bar(moved, totalBytes) + " " + total);
    linesDrawn++;
    err.flush();
  }

  private String summary(long moved) {
    double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-3);
    double rate = moved / seconds;
    long left = Math.max(totalBytes - moved, 0);
    String eta = rate > 0 ? String.format(Locale.ROOT, "%.0fs", left / rate) : "?";
    return String.format(
        Locale.ROOT, "%s / %s (%s/s, ETA %s)", Bytes.human(moved), Bytes.human(totalBytes), Bytes.human((long) rate), eta);
  }

  private static String bar(long have, long of) {
    int filled = of == 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, BAR_WIDTH * have / of);
    return "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + (of == 0 ? 100 : 100 * have / of) + "%";
  }

  /** Moves the cursor back over the bars last drawn and erases them. */
  private void clear() {
    for (; linesDrawn > 0; linesDrawn--) {
      err.print("\033[1A\033[2K");
    }
  }

  /** Linux: file descriptor 2 of this process is a terminal device. */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }
}
