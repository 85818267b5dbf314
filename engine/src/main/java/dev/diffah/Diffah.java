package dev.diffah;

import dev.diffah.archive.DeltaHead;
import dev.diffah.export.ExportRequest;
import dev.diffah.export.ExportResult;
import dev.diffah.export.Exporter;
import dev.diffah.importer.ImportRequest;
import dev.diffah.importer.ImportResult;
import dev.diffah.importer.Importer;
import dev.diffah.inspect.InspectResult;
import dev.diffah.telemetry.ProgressListener;
import dev.diffah.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import reactor.core.publisher.Mono;

/**
 * The library entry point. Every operation is a cold {@link Mono}: nothing runs until it is
 * subscribed, and cancelling it stops the work and removes partial output.
 */
public final class Diffah {
  private final MeterRegistry meters;
  private final ProgressListener progress;
  private final Exporter exporter;
  private final Importer importer;

  private Diffah(MeterRegistry meters, ProgressListener progress) {
    this.meters = meters;
    this.progress = progress;
    Telemetry telemetry = new Telemetry(meters, progress);
    this.exporter = new Exporter(telemetry);
    this.importer = new Importer(telemetry);
  }

  /** An engine that keeps its metrics to itself and reports no progress. */
  public static Diffah create() {
    return new Diffah(new SimpleMeterRegistry(), ProgressListener.NONE);
  }

  /** A copy that records bytes, blobs and stage timings ({@code diffah.*} meters) in {@code registry}. */
  public Diffah withMeterRegistry(MeterRegistry registry) {
    return new Diffah(registry, progress);
  }

  /** A copy that reports progress to {@code listener}. */
  public Diffah withProgress(ProgressListener listener) {
    return new Diffah(meters, listener);
  }

  /** Writes a delta archive of the target against the baseline (or only plans it, for a dry run). */
  public Mono<ExportResult> export(ExportRequest request) {
    return Mono.defer(() -> exporter.export(request));
  }

  /** Rebuilds the target image from a delta and a local baseline (or only checks, for a dry run). */
  public Mono<ImportResult> importImage(ImportRequest request) {
    return Mono.defer(() -> importer.importImage(request));
  }

  /** Reads what a delta holds without a baseline. */
  public Mono<InspectResult> inspect(Path delta) {
    return DeltaHead.read(delta)
        .map(head -> new InspectResult(head.file(), head.fileSize(), head.compression(), head.sidecar()));
  }
}
