package dev.diffah.cli;

import static dev.diffah.cli.MainJobTest.rawDigest;
import static dev.diffah.cli.MainJobTest.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Import into every output format, each result checked by a reader that is not ours. */
class ImportOutputsTest {
  @TempDir Path dir;

  private Path delta(String kind) {
    Path delta = dir.resolve("delta-" + kind + ".tar");
    Cli.Run run = Cli.run("export", "--target", ref("v2_" + kind + ".tar"), "--baseline", ref("v1_" + kind + ".tar"), "--output", delta.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return delta;
  }

  private static String targetDigest(Path delta) {
    return Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/target_manifest_digest").asText();
  }

  private Cli.Run importTo(Path delta, String baseline, Path out, String format, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of("import", "--delta", delta.toString(), "--baseline", baseline, "--output", out.toString(), "--output-format", format));
    args.addAll(java.util.List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @ParameterizedTest
  @CsvSource({"oci,oci", "oci,oci-archive", "oci,dir", "s2,oci", "s2,oci-archive", "s2,dir"})
  void verbatimFormatsCarryTheTargetManifestByteForByte(String kind, String format) {
    Path delta = delta(kind);
    Path out = dir.resolve("out-" + format);
    Cli.Run run = importTo(delta, ref("v1_" + kind + ".tar"), out, format, "--format", "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String want = targetDigest(delta);
    assertThat(run.json().at("/result/manifest_digest").asText()).isEqualTo(want);
    assertThat(rawDigest(format + ":" + out).toString()).isEqualTo(want);
    assertThat(Tools.skopeo("inspect", format + ":" + out)).contains("\"Digest\": \"" + want + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "s2"})
  void dockerArchiveLoadsInPodmanWithTheTargetConfigAsImageId(String kind) throws Exception {
    Path delta = delta(kind);
    Path out = dir.resolve("v2.tar");
    Cli.Run run = importTo(delta, ref("v1_" + kind + ".tar"), out, "docker-archive");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String config = Tools.skopeo("inspect", "--config", "--raw", ref("v2_" + kind + ".tar"));
    String configDigest = dev.diffah.model.Digest.sha256(config.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();

    Path podman = Files.createDirectories(dir.resolve("podman"));
    Tools.Result load = Tools.podman(podman, "load", "-i", out.toString());
    assertThat(load.exitCode()).as(load.stderr()).isZero();
    Tools.Result images = Tools.podman(podman, "images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}");
    assertThat(images.stdout()).contains(configDigest).contains("diffah-fixture:v2");
  }

  @Test
  void ociOutputOfTheOciFixtureUnpacksWithUmoci() {
    Path out = dir.resolve("layout");
    assertThat(importTo(delta("oci"), ref("v1_oci.tar"), out, "oci", "--tag", "v2").exitCode()).isZero();
    Path bundle = dir.resolve("bundle");
    Tools.check("umoci", "unpack", "--image", out + ":v2", bundle.toString());
    assertThat(bundle.resolve("rootfs")).isDirectory();
    assertThat(bundle.resolve("config.json")).isRegularFile();
  }

  @Test
  void convertOciRewritesADockerManifestSoUmociTakesIt() {
    Path delta = delta("s2");
    Path out = dir.resolve("layout");
    Cli.Run run = importTo(delta, ref("v1_s2.tar"), out, "oci", "--convert-oci", "--tag", "v2", "--format", "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = run.json().get("result");
    String written = result.get("manifest_digest").asText();
    assertThat(written).isNotEqualTo(result.get("target_manifest_digest").asText());
    assertThat(rawDigest("oci:" + out).toString()).isEqualTo(written);
    assertThat(Tools.skopeo("inspect", "--raw", "oci:" + out)).contains("application/vnd.oci.image.manifest.v1+json").doesNotContain("vnd.docker");
    Path bundle = dir.resolve("bundle");
    Tools.check("umoci", "unpack", "--image", out + ":v2", bundle.toString());
    assertThat(bundle.resolve("rootfs")).isDirectory();
  }

  @Test
  void wrongBaselineExitsFourNamingTheMissingDigestAndWritesNothing() throws Exception {
    Path delta = delta("oci");
    Path out = dir.resolve("out.tar");
    Cli.Run run = importTo(delta, ref("unrelated_oci.tar"), out, "docker-archive");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains(MainJobTest.BASE_LAYER).contains("unrelated_oci.tar").doesNotContain("Exception");
    assertThat(Files.list(dir)).containsExactly(delta);
  }

  /** Every output copies the delta's regions in the kernel: verifying the copy still decides. */
  @ParameterizedTest
  @ValueSource(strings = {"docker-archive", "oci-archive", "oci", "dir"})
  void aFlippedByteInAShippedBlobExitsFourAndWritesNothing(String format) throws Exception {
    Path delta = delta("oci");
    long layerData;
    try (var tar = new org.apache.commons.compress.archivers.tar.TarFile(delta)) {
      var entries = tar.getEntries();
      layerData = entries.get(entries.size() - 1).getDataOffset();
    }
    byte[] bytes = Files.readAllBytes(delta);
    bytes[(int) layerData + 100] ^= 0x01;
    Files.write(delta, bytes);
    Path out = dir.resolve("out.tar");
    Cli.Run run = importTo(delta, ref("v1_oci.tar"), out, format);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("corrupt").doesNotContain("Exception");
    assertThat(Files.list(dir)).containsExactly(delta);
  }

  /** From a layout directory to a layout directory, baseline blobs are verified, then hard-linked. */
  @ParameterizedTest
  @ValueSource(strings = {"oci", "dir"})
  void baselineBlobsOfALocalLayoutAreLinkedAfterVerification(String format) throws Exception {
    Path baseline = dir.resolve("v1-layout");
    Tools.skopeo("copy", ref("v1_oci.tar"), "oci:" + baseline + ":v1");
    Path delta = delta("oci");
    Path out = dir.resolve("out-" + format);
    Cli.Run run = importTo(delta, "oci:" + baseline, out, format);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String hex = MainJobTest.BASE_LAYER.substring("sha256:".length());
    Path written = format.equals("oci") ? out.resolve("blobs/sha256").resolve(hex) : out.resolve(hex);
    assertThat(Files.isSameFile(written, baseline.resolve("blobs/sha256").resolve(hex))).isTrue();
    assertThat(rawDigest(format + ":" + out).toString()).isEqualTo(targetDigest(delta));

    Path corrupt = baseline.resolve("blobs/sha256").resolve(hex);
    byte[] bytes = Files.readAllBytes(corrupt);
    bytes[1000] ^= 1;
    Files.delete(corrupt); // the old inode stays with the first output
    Files.write(corrupt, bytes);
    Path again = dir.resolve("again-" + format);
    Cli.Run bad = importTo(delta, "oci:" + baseline, again, format);
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(4);
    assertThat(again).doesNotExist();
  }
}
