package dev.diffah.cli;

import static dev.diffah.cli.MainJobTest.BASE_LAYER;
import static dev.diffah.cli.MainJobTest.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.model.Digest;
import dev.diffah.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer's baseline is often a {@code docker save}-style archive with uncompressed layers,
 * while the delta was made against gzip blobs: layers are matched by DiffID.
 */
class BaselineFormsTest {
  @TempDir Path dir;
  private String uncompressedV1;

  @BeforeEach
  void uncompressedBaseline() {
    Path archive = dir.resolve("v1-saved.tar");
    Tools.skopeo("copy", ref("v1_oci.tar"), "docker-archive:" + archive + ":app:v1");
    uncompressedV1 = "docker-archive:" + archive;
  }

  private Path exportAgainst(String baseline) {
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", baseline, "--output", delta.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return delta;
  }

  @Test
  void importIntoDockerArchiveTakesTheUncompressedBaselineLayer() throws Exception {
    Path delta = exportAgainst(ref("v1_oci.tar"));
    JsonNode required = Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/sidecar/required_from_baseline/0");
    assertThat(required.get("digest").asText()).isEqualTo(BASE_LAYER);
    assertThat(required.get("diff_id").asText()).startsWith("sha256:");

    Cli.Run dry = Cli.run("import", "--dry-run", "--delta", delta.toString(), "--baseline", uncompressedV1);
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out()).contains("ok (diff_id)");

    Path out = dir.resolve("v2.tar");
    Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", uncompressedV1, "--output", out.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("another compression");
    assertLoadsAsTarget(out);
  }

  @Test
  void ociOutputNeedsRewriteManifestToTakeASubstitutedLayer() {
    Path delta = exportAgainst(ref("v1_oci.tar"));
    Path out = dir.resolve("layout");
    Cli.Run refused = Cli.run("import", "--delta", delta.toString(), "--baseline", uncompressedV1, "--output", out.toString(), "--output-format", "oci");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("another compression", "--rewrite-manifest");
    assertThat(out).doesNotExist();

    Cli.Run run =
        Cli.run(
            "import", "--delta", delta.toString(), "--baseline", uncompressedV1, "--output", out.toString(),
            "--output-format", "oci", "--rewrite-manifest", "--tag", "v2", "--format", "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String written = run.json().at("/result/manifest_digest").asText();
    assertThat(written).isNotEqualTo(run.json().at("/result/target_manifest_digest").asText());
    String manifest = Tools.skopeo("inspect", "--raw", "oci:" + out);
    assertThat(Digest.sha256(manifest.getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo(written);
    assertThat(manifest).contains("application/vnd.oci.image.layer.v1.tar\"").doesNotContain(BASE_LAYER);
    Path bundle = dir.resolve("bundle");
    Tools.check("umoci", "unpack", "--image", out + ":v2", bundle.toString());
    assertThat(bundle.resolve("rootfs")).isDirectory();
  }

  @Test
  void exportMatchesAnUncompressedBaselineByDiffId() throws Exception {
    Path delta = exportAgainst(uncompressedV1);
    JsonNode result = Cli.run("inspect", "--format", "json", delta.toString()).json().get("result");
    assertThat(result.get("shipped_blobs").asInt()).isEqualTo(1);
    assertThat(result.get("required_blobs").asInt()).isEqualTo(1);
    assertThat(result.at("/sidecar/required_from_baseline/0/digest").asText()).isEqualTo(BASE_LAYER);

    Path out = dir.resolve("v2.tar");
    Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", uncompressedV1, "--output", out.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertLoadsAsTarget(out);
  }

  private void assertLoadsAsTarget(Path archive) throws Exception {
    String config = Tools.skopeo("inspect", "--config", "--raw", ref("v2_oci.tar"));
    String imageId = Digest.sha256(config.getBytes(StandardCharsets.UTF_8)).hex();
    Path podman = Files.createDirectories(dir.resolve("podman"));
    Tools.Result load = Tools.podman(podman, "load", "-i", archive.toString());
    assertThat(load.exitCode()).as(load.stderr()).isZero();
    assertThat(Tools.podman(podman, "images", "--no-trunc", "--format", "{{.ID}}").stdout()).contains(imageId);
    assertThat(Tools.podman(podman, "image", "inspect", "--format", "{{len .RootFS.Layers}}", imageId).stdout().trim()).isEqualTo("2");
  }
}
