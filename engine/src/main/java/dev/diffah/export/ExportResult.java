package dev.diffah.export;

import dev.diffah.archive.Sidecar;
import dev.diffah.plan.DeltaPlan;
import java.nio.file.Path;

/**
 * The outcome of an export (or the plan of a dry run).
 *
 * @param output the archive written; null for a dry run
 * @param archiveBytes size of the written archive; 0 for a dry run
 */
public record ExportResult(Sidecar sidecar, DeltaPlan plan, Path output, long archiveBytes, boolean dryRun) {}
