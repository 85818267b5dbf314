package dev.diffah.cli;

import dev.diffah.error.UsageException;
import dev.diffah.importer.ImportRequest;
import dev.diffah.importer.ImportResult;
import dev.diffah.spi.ImageReference;
import dev.diffah.transport.Transports;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Rebuild the full target image from a delta and a local baseline.",
      "Every blob the delta requires is checked in the baseline before anything is written."
    },
    footer = {
      "",
      "Example:",
      "  diffah import --delta app_v1_to_v2.tar --baseline docker-archive:app-v1.tar \\",
      "      --output app-v2.tar",
      "",
      "Output formats: docker-archive (default; loads with docker/podman load),",
      "oci-archive, oci (a layout directory) and dir. OCI outputs and dir keep the",
      "target manifest byte for byte; --convert-oci rewrites a Docker manifest to",
      "OCI media types (for tools such as umoci)."
    })
final class ImportCommand implements Callable<Integer>, DiffahCommand {
  private static final List<String> FORMATS = List.of("docker-archive", "oci-archive", "oci", "dir");

  @Spec CommandSpec spec;
  @Mixin OutputOptions output;
  @Mixin RegistryFlags registry;

  @Option(names = "--delta", required = true, paramLabel = "PATH", description = "The delta archive from 'diffah export'.")
  Path delta;

  @Option(names = "--baseline", required = true, paramLabel = "REF", description = "The baseline image, e.g. docker-archive:app-v1.tar or docker://HOST/app:v1.")
  String baseline;

  @Option(names = "--output", paramLabel = "PATH", description = "Where to write the rebuilt image.")
  String outputPath;

  @Option(
      names = "--output-format",
      defaultValue = "docker-archive",
      paramLabel = "FORMAT",
      description = "docker-archive, oci-archive, oci or dir (default: ${DEFAULT-VALUE}).")
  String outputFormat;

  @Option(names = "--tag", paramLabel = "NAME:TAG", description = "Name the rebuilt image (default: the target's name).")
  String tag;

  @Option(names = "--convert-oci", description = "Rewrite a Docker schema 2 manifest to OCI media types.")
  boolean convertOci;

  @Option(
      names = "--rewrite-manifest",
      description =
          "Let oci, oci-archive and dir outputs take baseline layers that hold the required content "
              + "in another compression (same DiffID), naming them in a rewritten manifest.")
  boolean rewriteManifest;

  @Option(names = "--dry-run", description = "Check the baseline and print a report; write nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Replace an existing output.")
  boolean force;

  @Override
  public OutputOptions output() {
    return output;
  }

  @Override
  public Integer call() {
    if (!FORMATS.contains(outputFormat)) {
      throw new UsageException("unknown --output-format '" + outputFormat + "'", "use one of " + String.join(", ", FORMATS));
    }
    if (!dryRun && outputPath == null) {
      throw new UsageException("missing --output", "pass --output PATH (or --dry-run to only check)");
    }
    ImageReference out = Transports.byName(outputFormat).parse(outputPath == null ? "/dev/null" : outputPath);
    Session session = new Session(output, spec.commandLine().getErr());
    ImportRequest request =
        new ImportRequest(
            delta,
            Transports.parse(baseline, registry.forBaseline().withMeterRegistry(session.meters())),
            out,
            Optional.ofNullable(tag),
            convertOci,
            rewriteManifest,
            dryRun,
            force);
    ImportResult result = session.run(diffah -> diffah.importImage(request));
    result.warnings().forEach(w -> Console.warn(spec, output, w));
    session.report(spec.commandLine().getOut(), Rendering.importJson(result), stdout -> Rendering.importText(stdout, result));
    return result.allReachable() ? 0 : dev.diffah.error.ErrorKind.CONTENT.exitCode();
  }
}
