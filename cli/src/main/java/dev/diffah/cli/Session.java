package dev.diffah.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.Diffah;
import dev.diffah.model.Json;
import dev.diffah.telemetry.ProgressListener;
import dev.diffah.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** One command's engine: its metrics, its progress display, and where it blocks. */
final class Session {
  /** Stages in the order a pipeline runs them, so --stats reads top to bottom. */
  private static final java.util.List<String> STAGE_ORDER =
      java.util.List.of("resolve-target", "resolve-baseline", "check-baseline", "write", "verify-output");

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final OutputOptions options;
  private final PrintWriter err;

  Session(OutputOptions options, PrintWriter err) {
    this.options = options;
    this.err = err;
  }

  <T> T run(Function<Diffah, Mono<T>> operation) {
    ProgressListener progress = ProgressRenderer.open(options.progress, options.logLevel().intValue() > java.util.logging.Level.WARNING.intValue(), err);
    try {
      return Await.result(operation.apply(Diffah.create().withMeterRegistry(meters).withProgress(progress)));
    } finally {
      if (progress instanceof AutoCloseable closeable) {
        closeQuietly(closeable);
      }
    }
  }

  io.micrometer.core.instrument.MeterRegistry meters() {
    return meters;
  }

  /** Prints a result as JSON or text, with the stats when asked for. */
  void report(PrintWriter out, ObjectNode json, java.util.function.Consumer<PrintWriter> text) {
    if (options.json()) {
      if (options.stats) {
        json.with("result").set("stats", statsJson());
      }
      Rendering.printJson(out, json);
      return;
    }
    text.accept(out);
    if (options.stats) {
      printStats(out);
    }
  }

  /** Bytes and blobs per source and time per stage, for --stats with --format json. */
  ObjectNode statsJson() {
    ObjectNode stats = Json.MAPPER.createObjectNode();
    ObjectNode bytes = stats.putObject("bytes_read");
    ObjectNode blobs = stats.putObject("blobs_read");
    ObjectNode stages = stats.putObject("stage_millis");
    for (Counter c : meters.find(Telemetry.BYTES).counters()) {
      bytes.put(c.getId().getTag("source"), (long) c.count());
    }
    for (Counter c : meters.find(Telemetry.BLOBS).counters()) {
      blobs.put(c.getId().getTag("source"), (long) c.count());
    }
    stats.put("registry_retries", meters.find("diffah.registry.retries").counters().stream().mapToLong(c -> (long) c.count()).sum());
    meters.find(Telemetry.STAGE).timers().stream()
        .sorted(java.util.Comparator.comparingInt(t -> STAGE_ORDER.indexOf(t.getId().getTag("stage"))))
        .forEach(t -> stages.put(t.getId().getTag("stage"), Math.round(t.totalTime(TimeUnit.MILLISECONDS))));
    return stats;
  }

  void printStats(PrintWriter out) {
    ObjectNode stats = statsJson();
    out.println("stats:");
    stats.get("bytes_read").fields().forEachRemaining(
        e -> out.println("  read from " + e.getKey() + ": " + e.getValue().asLong() + " bytes in " + stats.at("/blobs_read/" + e.getKey()).asLong() + " blob(s)"));
    out.println("  registry retries: " + stats.get("registry_retries").asLong());
    stats.get("stage_millis").fields().forEachRemaining(
        e -> out.println(String.format(Locale.ROOT, "  %-15s %d ms", e.getKey(), e.getValue().asLong())));
    out.flush();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing a progress display cannot fail in a way worth reporting
    }
  }
}
