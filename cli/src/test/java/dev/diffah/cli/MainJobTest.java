package dev.diffah.cli;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.model.Digest;
import dev.diffah.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The main job end to end on the real fixtures: export, inspect, import, checked by other tools. */
class MainJobTest {
  static final String BASE_LAYER = "sha256:f3f445cb429b9458abeaef6830a665faefd682f05ae16d4b102aa4a14e93bbc8";
  static final String V2_TOP_LAYER_SIZE = "2076";

  @TempDir Path dir;

  static String ref(String fixture) {
    String transport = fixture.endsWith("_s2.tar") ? "docker-archive:" : "oci-archive:";
    return transport + fixture(fixture);
  }

  Cli.Run export(String target, String baseline, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("export", "--target", target, "--baseline", baseline, "--output", out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  static List<String> entryNames(Path tar) throws Exception {
    try (TarFile file = new TarFile(tar)) {
      return file.getEntries().stream().map(TarArchiveEntry::getName).toList();
    }
  }

  static Digest rawDigest(String reference) {
    return Digest.sha256(Tools.skopeo("inspect", "--raw", reference).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "s2"})
  void v1ToV2ShipsOnlyTheChangedLayer(String kind) throws Exception {
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = export(ref("v2_" + kind + ".tar"), ref("v1_" + kind + ".tar"), delta);
    assertThat(run.exitCode()).as(run.toString()).isZero();

    Cli.Run inspect = Cli.run("inspect", "--format", "json", delta.toString());
    assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
    JsonNode result = inspect.json().get("result");
    assertThat(result.get("shipped_blobs").asInt()).isEqualTo(1);
    assertThat(result.get("shipped_bytes").asText()).isEqualTo(V2_TOP_LAYER_SIZE);
    assertThat(result.get("required_blobs").asInt()).isEqualTo(1);
    assertThat(result.get("required_bytes").asLong()).isEqualTo(1_050_220L);
    assertThat(result.at("/sidecar/required_from_baseline/0/digest").asText()).isEqualTo(BASE_LAYER);

    String config = result.at("/sidecar/target/manifest_digest").asText();
    assertThat(entryNames(delta)).hasSize(5).startsWith("diffah.json", "version", "manifest.json");
    assertThat(Files.size(delta)).isLessThan(Files.size(fixture("v2_" + kind + ".tar")) / 50);
    assertThat(config).startsWith("sha256:");

    Cli.Run text = Cli.run("inspect", delta.toString());
    assertThat(text.out()).contains("shipped: 1 blobs (2076 bytes)", "required: 1 blobs (1050220 bytes)", "saved 99.8% vs full image");
  }

  @Test
  void ociTargetManifestMatchesTheFixtureFacts() {
    Path delta = dir.resolve("delta.tar");
    assertThat(export(ref("v2_oci.tar"), ref("v1_oci.tar"), delta).exitCode()).isZero();
    JsonNode sidecar = Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/sidecar");
    assertThat(sidecar.at("/target/manifest_digest").asText()).startsWith("sha256:0488d7cd");
    assertThat(sidecar.at("/target/manifest_size").asLong()).isEqualTo(560);
    assertThat(sidecar.at("/version").asText()).isEqualTo("v1");
    assertThat(sidecar.at("/platform").asText()).isEqualTo("linux/amd64");
  }

  @Test
  void nothingSharedShipsEverythingAndSavesNothing() {
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = export(ref("v3_oci.tar"), ref("v1_oci.tar"), delta);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode result = Cli.run("inspect", "--format", "json", delta.toString()).json().get("result");
    assertThat(result.get("shipped_blobs").asInt()).isEqualTo(2);
    assertThat(result.get("required_blobs").asInt()).isZero();
    assertThat(result.get("saved_percent").asDouble()).isZero();
  }

  @Test
  void exportIsReproducibleWithSourceDateEpoch() throws Exception {
    Path a = dir.resolve("a.tar");
    Path b = dir.resolve("b.tar");
    for (Path out : List.of(a, b)) {
      Cli.Run run =
          Cli.fork(
              List.of(),
              java.util.Map.of("SOURCE_DATE_EPOCH", "1700000000"),
              "export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", out.toString());
      assertThat(run.exitCode()).as(run.toString()).isZero();
    }
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(Cli.run("inspect", "--format", "json", a.toString()).json().at("/result/sidecar/created_at").asText())
        .isEqualTo("2023-11-14T22:13:20Z");
  }

  @Test
  void zstdDeltaIsDetectedByMagicAndImports() throws Exception {
    Path delta = dir.resolve("delta.bin");
    assertThat(export(ref("v2_oci.tar"), ref("v1_oci.tar"), delta, "--compress", "zstd").exitCode()).isZero();
    assertThat(Files.readAllBytes(delta)).startsWith((byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD);
    assertThat(Cli.run("inspect", delta.toString()).out()).contains("zstd");
    Path out = dir.resolve("out");
    Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", ref("v1_oci.tar"), "--output", out.toString(), "--output-format", "oci");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(rawDigest("oci:" + out).toString()).startsWith("sha256:0488d7cd");
  }

  @Test
  void aCutDeltaFailsImportAsTruncatedCompressedOrNot() throws Exception {
    for (String compression : List.of("zstd", "none")) {
      Path delta = dir.resolve("delta-" + compression);
      assertThat(export(ref("v2_oci.tar"), ref("v1_oci.tar"), delta, "--compress", compression).exitCode()).isZero();
      byte[] bytes = Files.readAllBytes(delta);
      // inside the compressed stream; inside the last layer's data of the plain tar
      int cut = compression.equals("zstd") ? bytes.length / 2 : bytes.length - 2500;
      Files.write(delta, java.util.Arrays.copyOf(bytes, cut));
      Path out = dir.resolve("out-" + compression);
      Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", ref("v1_oci.tar"), "--output", out.toString());
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
      assertThat(run.err()).as(compression).contains("truncated").doesNotContain("Exception");
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void baselineManifestGivesTheSameDeltaAsTheImage() throws Exception {
    Path manifest = dir.resolve("v1-manifest.json");
    Files.writeString(manifest, Tools.skopeo("inspect", "--raw", ref("v1_oci.tar")));
    Path fromImage = dir.resolve("image.tar");
    Path fromManifest = dir.resolve("manifest.tar");
    assertThat(export(ref("v2_oci.tar"), ref("v1_oci.tar"), fromImage).exitCode()).isZero();
    Cli.Run run =
        Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline-manifest", manifest.toString(), "--output", fromManifest.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode a = Cli.run("inspect", "--format", "json", fromImage.toString()).json().at("/result/sidecar");
    JsonNode b = Cli.run("inspect", "--format", "json", fromManifest.toString()).json().at("/result/sidecar");
    assertThat(b.get("shipped_in_delta")).isEqualTo(a.get("shipped_in_delta"));
    assertThat(b.get("required_from_baseline")).isEqualTo(a.get("required_from_baseline"));
    assertThat(b.at("/baseline/manifest_digest")).isEqualTo(a.at("/baseline/manifest_digest"));
    assertThat(entryNames(fromManifest)).isEqualTo(entryNames(fromImage));
  }

  @Test
  void dryRunsWriteNothingAndReport() throws Exception {
    Path out = dir.resolve("never.tar");
    Cli.Run plan = export(ref("v2_oci.tar"), ref("v1_oci.tar"), out, "--dry-run");
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("dry run", "shipped: 1 blobs (2076 bytes)");
    assertThat(out).doesNotExist();

    Path delta = dir.resolve("delta.tar");
    assertThat(export(ref("v2_oci.tar"), ref("v1_oci.tar"), delta).exitCode()).isZero();
    Cli.Run ok = Cli.run("import", "--dry-run", "--delta", delta.toString(), "--baseline", ref("v1_s2.tar"), "--output", out.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains(BASE_LAYER, "ok (manifest)");
    Cli.Run missing = Cli.run("import", "--dry-run", "--delta", delta.toString(), "--baseline", ref("unrelated_oci.tar"), "--output", out.toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(4);
    assertThat(missing.out()).contains(BASE_LAYER, "MISSING");
    assertThat(out).doesNotExist();
    assertThat(Files.list(dir)).containsExactly(delta);
  }
}
