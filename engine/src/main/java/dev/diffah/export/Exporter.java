package dev.diffah.export;

import dev.diffah.DiffahVersion;
import dev.diffah.archive.DeltaArchiveWriter;
import dev.diffah.archive.DeltaHead;
import dev.diffah.archive.Sidecar;
import dev.diffah.error.ContentException;
import dev.diffah.io.AtomicOutput;
import dev.diffah.io.BlobSupply;
import dev.diffah.io.Resources;
import dev.diffah.plan.DeltaPlan;
import dev.diffah.resolve.ImageResolver;
import dev.diffah.resolve.ResolvedImage;
import dev.diffah.spi.ImageSource;
import dev.diffah.telemetry.Telemetry;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The export pipeline: resolve target and baseline, plan, then stream the new blobs (verified as
 * they flow) into an archive written beside the output and renamed into place when checked.
 */
public final class Exporter {
  private static final System.Logger LOG = System.getLogger(Exporter.class.getName());

  private final Telemetry telemetry;

  public Exporter(Telemetry telemetry) {
    this.telemetry = telemetry;
  }

  public Mono<ExportResult> export(ExportRequest request) {
    return Resources.using(
        request.target().openSource(),
        target ->
            Baseline.with(
                request,
                telemetry.timed("resolve-target", ImageResolver.resolve(target, request.platform(), true)),
                (image, baseline) -> withBaseline(request, target, image, baseline)));
  }

  private Mono<ExportResult> withBaseline(ExportRequest request, ImageSource target, ResolvedImage image, Baseline baseline) {
    DeltaPlan plan = DeltaPlan.of(image.manifest(), image.config().diffIds(), baseline.layers());
    LOG.log(
        System.Logger.Level.INFO,
        "target {0} ({1}): {2} layer(s) to ship ({3} bytes), {4} required from baseline {5}",
        image.manifest().digest(),
        image.platform(),
        plan.shipped().size(),
        plan.shippedBytes(),
        plan.required().size(),
        baseline.manifest().digest());
    Sidecar sidecar = sidecar(request, target, image, baseline, plan);
    Mono<Void> checked = telemetry.timed("check-baseline", baseline.checkReadable(plan.required()));
    if (request.dryRun()) {
      return checked.thenReturn(new ExportResult(sidecar, plan, null, 0, true));
    }
    return checked.then(write(request, target, image, plan, sidecar));
  }

  private Mono<ExportResult> write(
      ExportRequest request, ImageSource target, ResolvedImage image, DeltaPlan plan, Sidecar sidecar) {
    var contents =
        new DeltaArchiveWriter.Contents(
            sidecar,
            image.manifest().raw(),
            image.manifest().config(),
            image.configBytes(),
            plan.shippedLayers(),
            new BlobSupply(target::blob, target::blobRegion, target.reference().toString(), "target", telemetry),
            target.fetchesOverNetwork() ? request.jobs() : 1);
    return Resources.using(
        Mono.fromCallable(() -> AtomicOutput.begin(request.output(), false, request.replaceExisting()))
            .subscribeOn(Schedulers.boundedElastic()),
        out ->
            telemetry
                .timed("write", Mono.fromRunnable(() -> telemetry.planned(plan.shippedLayers())).then(DeltaArchiveWriter.write(out.temp(), request.compression(), contents)))
                .then(telemetry.timed("verify-output", DeltaHead.read(out.temp())))
                .flatMap(head -> checkWritten(head, sidecar))
                .then(Mono.fromCallable(() -> commit(out)).subscribeOn(Schedulers.boundedElastic()))
                .map(size -> new ExportResult(sidecar, plan, out.target(), size, false)));
  }

  private static long commit(AtomicOutput out) throws java.io.IOException {
    long size = Files.size(out.temp());
    out.commit();
    return size;
  }

  /** The archive on disk must carry the manifest the sidecar promises. */
  private static Mono<Void> checkWritten(DeltaHead head, Sidecar sidecar) {
    if (!head.manifest().digest().equals(sidecar.target().manifestDigest())) {
      return Mono.error(
          new ContentException(
              "written delta carries manifest " + head.manifest().digest() + " instead of " + sidecar.target().manifestDigest(),
              "this is a bug; report it with the command you ran"));
    }
    return Mono.empty();
  }

  private static Sidecar sidecar(
      ExportRequest request, ImageSource target, ResolvedImage image, Baseline baseline, DeltaPlan plan) {
    var raw = image.manifest().raw();
    return new Sidecar(
        Sidecar.FORMAT_VERSION,
        DiffahVersion.TOOL,
        DiffahVersion.version(),
        timestamp(request.createdAt()),
        image.platform() == null ? "unknown" : image.platform().toString(),
        new Sidecar.Target(
            raw.digest(), (long) raw.size(), raw.mediaType(), image.imageName().orElse(null)),
        new Sidecar.Baseline(baseline.manifest().digest(), baseline.manifest().raw().mediaType(), baseline.hint()),
        plan.required().stream().map(Sidecar.Blob::of).toList(),
        plan.shipped().stream().map(Sidecar.Blob::of).toList());
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
  }
}
