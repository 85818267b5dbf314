package dev.diffah.cli;

import static dev.diffah.cli.MainJobTest.ref;
import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Manifest lists with --platform, and inputs written by skopeo in every local format. */
class PlatformAndSourcesTest {
  @TempDir Path dir;

  /** An OCI layout whose index.json points to a manifest list: amd64 is v1, arm64/v8 is v2. */
  private Path multiPlatformLayout() throws Exception {
    Path layout = Files.createDirectories(dir.resolve("multi"));
    Tools.check("tar", "-xf", fixture("v1_oci.tar").toString(), "-C", layout.toString());
    String v1 = manifestEntry(layout);
    Tools.check("tar", "-xf", fixture("v2_oci.tar").toString(), "-C", layout.toString());
    String v2 = manifestEntry(layout);

    ObjectNode list = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode manifests = list.putArray("manifests");
    addEntry(manifests, v1, "amd64", null);
    addEntry(manifests, v2, "arm64", "v8");
    byte[] listBytes = Json.MAPPER.writeValueAsBytes(list);
    Digest listDigest = Digest.sha256(listBytes);
    Files.write(layout.resolve("blobs/sha256").resolve(listDigest.hex()), listBytes);

    ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2);
    index.putArray("manifests").addObject()
        .put("mediaType", "application/vnd.oci.image.index.v1+json")
        .put("digest", listDigest.toString())
        .put("size", listBytes.length)
        .putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
    Files.write(layout.resolve("index.json"), Json.MAPPER.writeValueAsBytes(index));
    return layout;
  }

  private static String manifestEntry(Path layout) throws Exception {
    return Json.MAPPER.readTree(layout.resolve("index.json").toFile()).at("/manifests/0").toString();
  }

  private static void addEntry(ArrayNode manifests, String entryJson, String arch, String variant) throws Exception {
    ObjectNode entry = (ObjectNode) Json.MAPPER.readTree(entryJson);
    entry.remove("annotations");
    ObjectNode platform = entry.putObject("platform").put("architecture", arch).put("os", "linux");
    if (variant != null) {
      platform.put("variant", variant);
    }
    manifests.add(entry);
  }

  @Test
  void platformPicksAnImageFromAManifestList() throws Exception {
    Path layout = multiPlatformLayout();
    Path delta = dir.resolve("delta.tar");
    Cli.Run run =
        Cli.run("export", "--target", "oci:" + layout, "--platform", "linux/arm64", "--baseline", ref("v1_oci.tar"), "--output", delta.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode sidecar = Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/sidecar");
    assertThat(sidecar.at("/target/manifest_digest").asText()).startsWith("sha256:0488d7cd");
    assertThat(sidecar.at("/platform").asText()).isEqualTo("linux/arm64/v8");

    Cli.Run amd = Cli.run("export", "--dry-run", "--target", "oci:" + layout, "--platform", "linux/amd64", "--baseline", ref("v1_oci.tar"), "--format", "json");
    assertThat(amd.json().at("/result/target_manifest_digest").asText()).startsWith("sha256:e1e79e68");
  }

  @Test
  void aListWithoutPlatformIsAUsageErrorListingThePlatforms() throws Exception {
    Path layout = multiPlatformLayout();
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = Cli.run("export", "--target", "oci:" + layout, "--baseline", ref("v1_oci.tar"), "--output", delta.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("linux/amd64", "linux/arm64/v8", "--platform");
    assertThat(delta).doesNotExist();
  }

  @Test
  void importPicksTheSidecarPlatformFromAListBaseline() throws Exception {
    Path layout = multiPlatformLayout();
    Path delta = dir.resolve("delta.tar");
    assertThat(Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString()).exitCode()).isZero();
    Path out = dir.resolve("out");
    Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", "oci:" + layout, "--output", out.toString(), "--output-format", "dir");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Files.readString(out.resolve("manifest.json"))).isEqualTo(Tools.skopeo("inspect", "--raw", ref("v2_oci.tar")));
  }

  /** skopeo writes each format its own way; diffah must read all of them as export and import inputs. */
  @ParameterizedTest
  @ValueSource(strings = {"dir", "oci", "docker-archive"})
  void roundTripsThroughSkopeoWrittenInputs(String format) throws Exception {
    String v1 = skopeoCopy("v1_oci.tar", format, "v1");
    String v2 = skopeoCopy("v2_oci.tar", format, "v2");
    Path delta = dir.resolve("delta.tar");
    Cli.Run export = Cli.run("export", "--target", v2, "--baseline", v1, "--output", delta.toString(), "--format", "json");
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(export.json().at("/result/shipped_blobs").asInt()).isEqualTo(1);
    assertThat(export.json().at("/result/required_blobs").asInt()).isEqualTo(1);

    Path out = dir.resolve("rebuilt");
    Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", v1, "--output", out.toString(), "--output-format", "oci-archive");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    String rebuilt = Tools.skopeo("inspect", "--raw", "oci-archive:" + out);
    assertThat(Digest.sha256(rebuilt.getBytes(StandardCharsets.UTF_8)).toString())
        .isEqualTo(export.json().at("/result/target_manifest_digest").asText());
    assertThat(Tools.skopeo("inspect", "--config", "--raw", "oci-archive:" + out))
        .isEqualTo(Tools.skopeo("inspect", "--config", "--raw", v2));
    if (!format.equals("docker-archive")) {
      // docker-archive has no registry manifest: skopeo and diffah each synthesise their own
      assertThat(rebuilt).isEqualTo(Tools.skopeo("inspect", "--raw", v2));
    }
  }

  private String skopeoCopy(String fixture, String format, String tag) {
    Path path = dir.resolve(format + "-" + tag);
    String destination =
        switch (format) {
          case "oci" -> "oci:" + path + ":" + tag;
          case "docker-archive" -> "docker-archive:" + path + ":app:" + tag;
          default -> format + ":" + path;
        };
    Tools.skopeo("copy", ref(fixture), destination);
    return format.equals("oci") ? "oci:" + path + ":" + tag : format + ":" + path;
  }
}
