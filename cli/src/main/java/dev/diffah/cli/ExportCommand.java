package dev.diffah.cli;

import dev.diffah.archive.Compression;
import dev.diffah.error.UsageException;
import dev.diffah.export.ExportRequest;
import dev.diffah.export.ExportResult;
import dev.diffah.model.Platform;
import dev.diffah.transport.Transports;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Write a delta archive of the layers a baseline lacks.",
      "The archive holds the target's manifest, config and only the layers the baseline lacks, "
          + "plus diffah.json naming what the consumer takes from its own baseline."
    },
    footer = {
      "",
      "Example:",
      "  diffah export --target oci-archive:app-v2.tar \\",
      "      --baseline oci-archive:app-v1.tar --output app_v1_to_v2.tar",
      "  diffah export --target docker://registry.example.com/app:v2 \\",
      "      --baseline docker://registry.example.com/app:v1 \\",
      "      --creds USER:PASS --output d.tar",
      "",
      "The archive is byte-for-byte reproducible when SOURCE_DATE_EPOCH is set."
    })
final class ExportCommand implements Callable<Integer>, DiffahCommand {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin RegistryFlags registry;

  @Option(names = "--target-creds", paramLabel = "USER:PASS", description = "Credentials for the target's registry (over --creds).")
  String targetCreds;

  @Option(
      names = "--jobs",
      defaultValue = "4",
      paramLabel = "N",
      description = "Blobs fetched at once from a registry (default: ${DEFAULT-VALUE}).")
  int jobs = ExportRequest.DEFAULT_JOBS;

  @Option(names = "--target", required = true, paramLabel = "REF", description = "The image to ship, e.g. oci-archive:app-v2.tar.")
  String target;

  @Option(names = "--baseline", paramLabel = "REF", description = "The image the consumer already has.")
  String baseline;

  @Option(
      names = "--baseline-manifest",
      paramLabel = "PATH",
      description = "The baseline's manifest JSON, when only the manifest was kept.")
  Path baselineManifest;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which image of a manifest list to use.")
  String platform;

  @Option(names = "--output", paramLabel = "PATH", description = "Where to write the delta archive.")
  Path outputPath;

  @Option(
      names = "--compress",
      defaultValue = "none",
      paramLabel = "none|zstd",
      description = "Compress the whole archive (default: ${DEFAULT-VALUE}).")
  Compression compress = Compression.NONE;

  @Option(names = "--dry-run", description = "Check and print the plan; write nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Replace an existing output file.")
  boolean force;

  @Override
  public OutputOptions output() {
    return output;
  }

  @Override
  public Integer call() {
    if (baseline != null && baselineManifest != null) {
      throw new UsageException("--baseline and --baseline-manifest exclude each other", "pass only one of them");
    }
    if (!dryRun && outputPath == null) {
      throw new UsageException("missing --output", "pass --output PATH (or --dry-run to only plan)");
    }
    Session session = new Session(output, spec.commandLine().getErr());
    ExportRequest request =
        new ExportRequest(
            Transports.parse(target, registry.options(targetCreds).withMeterRegistry(session.meters())),
            Optional.ofNullable(baseline).map(b -> Transports.parse(b, registry.forBaseline().withMeterRegistry(session.meters()))),
            Optional.ofNullable(baselineManifest),
            Optional.ofNullable(platform).map(Platform::parse),
            outputPath,
            compress,
            dryRun,
            force,
            createdAt(),
            jobs);
    ExportResult result = session.run(diffah -> diffah.export(request));
    session.report(spec.commandLine().getOut(), Rendering.exportJson(result), out -> Rendering.exportText(out, result));
    return 0;
  }

  /** Honors the reproducible-builds convention for the sidecar's timestamp. */
  private static Instant createdAt() {
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return Instant.now();
    }
    try {
      long seconds = Long.parseLong(epoch.trim());
      if (seconds < 0) {
        throw new NumberFormatException("negative");
      }
      return Instant.ofEpochSecond(seconds);
    } catch (NumberFormatException e) {
      throw new UsageException("SOURCE_DATE_EPOCH '" + epoch + "' is not a number of seconds", "unset it or set it to a Unix timestamp");
    }
  }
}
