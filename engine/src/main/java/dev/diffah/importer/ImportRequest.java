package dev.diffah.importer;

import dev.diffah.error.UsageException;
import dev.diffah.io.OutputGuard;
import dev.diffah.model.ImageNames;
import dev.diffah.spi.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to import: a delta, the local baseline it needs, and where to write the rebuilt image.
 *
 * @param output where and in which format to write the image
 * @param tag the {@code repository:tag} to give the image; defaults to the target's recorded name
 * @param convertToOci rewrite a Docker schema 2 manifest to OCI media types (changes its digest)
 * @param rewriteManifest let a format that keeps manifests verbatim take baseline layers that hold
 *     the required content in another compression, naming them in a rewritten manifest
 */
public record ImportRequest(
    Path delta,
    ImageReference baseline,
    ImageReference output,
    Optional<String> tag,
    boolean convertToOci,
    boolean rewriteManifest,
    boolean dryRun,
    boolean replaceExisting) {

  public ImportRequest {
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(baseline, "baseline");
    tag = tag == null ? Optional.empty() : tag;
    tag.ifPresent(t -> checkTag(t, output));
    if (convertToOci && output != null && !output.transport().keepsManifestVerbatim()) {
      throw new UsageException(
          "--convert-oci has no effect on " + output.transport().name() + " output, which stores no manifest",
          "drop --convert-oci, or choose --output-format oci, oci-archive or dir");
    }
    if (!dryRun) {
      Objects.requireNonNull(output, "output");
      List<Path> inputs = new ArrayList<>(List.of(delta));
      baseline.localPath().ifPresent(inputs::add);
      output.localPath().ifPresent(out -> OutputGuard.notAnInput(out, inputs));
    }
  }

  /** docker-archive needs repository:tag; OCI layouts also take a bare reference name such as a tag. */
  private static void checkTag(String tag, ImageReference output) {
    boolean ociNameWillDo = output != null && output.transport().keepsManifestVerbatim() && ImageNames.isOciRefName(tag);
    if (!ociNameWillDo) {
      ImageNames.requireNameWithTag(tag, "--tag");
    }
  }

  public static ImportRequest of(Path delta, ImageReference baseline, ImageReference output) {
    return new ImportRequest(delta, baseline, output, Optional.empty(), false, false, false, false);
  }
}
