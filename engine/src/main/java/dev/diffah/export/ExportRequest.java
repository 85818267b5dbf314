package dev.diffah.export;

import dev.diffah.archive.Compression;
import dev.diffah.error.UsageException;
import dev.diffah.io.OutputGuard;
import dev.diffah.model.Platform;
import dev.diffah.spi.ImageReference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to export: the target, the baseline (an image or a kept manifest file), and where to write.
 *
 * @param createdAt the time recorded in the sidecar (fix it for reproducible archives)
 * @param replaceExisting whether an existing output file may be replaced
 * @param jobs how many blobs to fetch at once from a network source (local sources stream one
 *     at a time)
 */
public record ExportRequest(
    ImageReference target,
    Optional<ImageReference> baseline,
    Optional<Path> baselineManifest,
    Optional<Platform> platform,
    Path output,
    Compression compression,
    boolean dryRun,
    boolean replaceExisting,
    Instant createdAt,
    int jobs) {

  /** Blobs fetched at once from a registry unless told otherwise. */
  public static final int DEFAULT_JOBS = 4;

  public ExportRequest {
    Objects.requireNonNull(target, "target");
    baseline = baseline == null ? Optional.empty() : baseline;
    baselineManifest = baselineManifest == null ? Optional.empty() : baselineManifest;
    platform = platform == null ? Optional.empty() : platform;
    compression = compression == null ? Compression.NONE : compression;
    createdAt = createdAt == null ? Instant.now() : createdAt;
    if (jobs < 1) {
      throw new UsageException("jobs must be at least 1, not " + jobs, "pass --jobs N with N >= 1");
    }
    if (baseline.isPresent() == baselineManifest.isPresent()) {
      throw new UsageException(
          "export needs exactly one baseline", "pass either --baseline REF or --baseline-manifest PATH");
    }
    if (output == null && !dryRun) {
      throw new UsageException("export needs an output path", "pass --output PATH");
    }
    if (output != null && !dryRun) {
      List<Path> inputs = new ArrayList<>();
      target.localPath().ifPresent(inputs::add);
      baseline.flatMap(ImageReference::localPath).ifPresent(inputs::add);
      baselineManifest.ifPresent(inputs::add);
      OutputGuard.notAnInput(output, inputs);
    }
  }

  /** An export of {@code target} against the image {@code baseline} into {@code output}. */
  public static ExportRequest of(ImageReference target, ImageReference baseline, Path output) {
    return new ExportRequest(
        target, Optional.of(baseline), Optional.empty(), Optional.empty(), output, Compression.NONE, false, false, null, DEFAULT_JOBS);
  }

  /** The same request with another number of parallel blob fetches. */
  public ExportRequest withJobs(int value) {
    return new ExportRequest(
        target, baseline, baselineManifest, platform, output, compression, dryRun, replaceExisting, createdAt, value);
  }
}
