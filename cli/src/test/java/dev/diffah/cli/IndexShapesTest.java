package dev.diffah.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.ImageGenerator;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Platform selection through the index shapes real tools write: lists nested inside lists, arm
 * variants in any order, and entries whose blobs were never copied.
 */
class IndexShapesTest {
  /** The platforms of the list, scrambled; amd64's manifest is named but its blobs are absent. */
  private static final List<String> PLATFORMS = List.of("linux/arm/v7", "linux/amd64", "linux/arm64/v8", "linux/arm/v6");

  @TempDir Path dir;
  private Path layout;
  private final Map<String, ObjectNode> entries = new LinkedHashMap<>();
  private Path baselineManifest;
  private ObjectNode listEntry;

  @BeforeEach
  void buildLayout() throws Exception {
    layout = dir.resolve("layout");
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (int i = 0; i < PLATFORMS.size(); i++) {
      ImageGenerator.Layer layer = ImageGenerator.layer(layout, 256, 40 + i, false);
      ImageGenerator.image(layout, List.of(layer), "x");
      ObjectNode entry = (ObjectNode) Json.MAPPER.readTree(layout.resolve("index.json").toFile()).at("/manifests/0");
      entry.remove("annotations");
      String[] p = PLATFORMS.get(i).split("/");
      ObjectNode platform = entry.putObject("platform").put("architecture", p[1]).put("os", p[0]);
      if (p.length == 3) {
        platform.put("variant", p[2]);
      }
      entries.put(PLATFORMS.get(i), entry);
      list.add(entry);
    }
    deleteBlob(entries.get("linux/amd64").get("digest").asText());
    listEntry = writeIndexBlob(list);
    writeIndexJson(listEntry.deepCopy());
    baselineManifest = Files.writeString(dir.resolve("baseline.json"), Tools.skopeo("inspect", "--raw", "oci-archive:" + Fixtures.fixture("v1_oci.tar")));
  }

  /** index.json → an index → the list of platforms: two levels of index below index.json. */
  private void nestTwice() throws Exception {
    writeIndexJson(writeIndexBlob(Json.MAPPER.createArrayNode().add(listEntry.deepCopy())));
  }

  /** index.json naming its one entry "multi". */
  private void writeIndexJson(ObjectNode entry) throws Exception {
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
    ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
    index.putArray("manifests").add(entry);
    Files.write(layout.resolve("index.json"), Json.MAPPER.writeValueAsBytes(index));
  }

  private ObjectNode writeIndexBlob(ArrayNode manifests) throws Exception {
    ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
    index.set("manifests", manifests);
    byte[] bytes = Json.MAPPER.writeValueAsBytes(index);
    Digest digest = Digest.sha256(bytes);
    Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), bytes);
    return Json.MAPPER.createObjectNode().put("mediaType", MediaTypes.OCI_INDEX).put("digest", digest.toString()).put("size", bytes.length);
  }

  private void deleteBlob(String digest) throws Exception {
    Files.delete(layout.resolve("blobs/sha256").resolve(Digest.parse(digest).hex()));
  }

  private Cli.Run export(String platform, Path output) {
    return Cli.run(
        "export", "--format", "json", "--target", "oci:" + layout, "--platform", platform,
        "--baseline-manifest", baselineManifest.toString(), "--output", output.toString());
  }

  private String digestOf(String platform) {
    return entries.get(platform).get("digest").asText();
  }

  @ParameterizedTest(name = "{0} in a {2} list picks {1}")
  @CsvSource({
    "linux/arm64, linux/arm64/v8, flat",
    "linux/arm64/v8, linux/arm64/v8, flat",
    "linux/arm/v7, linux/arm/v7, flat",
    "linux/arm, linux/arm/v7, flat",
    "linux/arm/v6, linux/arm/v6, flat",
    "linux/arm/v8, linux/arm/v7, flat",
    "linux/arm64, linux/arm64/v8, nested",
    "linux/arm/v8, linux/arm/v7, nested",
    "linux/arm/v6, linux/arm/v6, nested",
  })
  void platformPicksTheExactOrBestCompatibleInstance(String wanted, String chosen, String shape) throws Exception {
    if (shape.equals("nested")) {
      nestTwice();
    }
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = export(wanted, delta);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.json().at("/result/target_manifest_digest").asText()).isEqualTo(digestOf(chosen));
    JsonNode sidecar = Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/sidecar");
    assertThat(sidecar.get("platform").asText()).isEqualTo(chosen);
    assertThat(sidecar.at("/target/manifest_digest").asText()).isEqualTo(digestOf(chosen));
  }

  @ParameterizedTest
  @ValueSource(strings = {"flat", "nested"})
  void anInstanceWithoutBlobsFailsOnlyWhenChosen(String shape) throws Exception {
    if (shape.equals("nested")) {
      nestTwice();
    }
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = export("linux/amd64", delta);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.json().at("/error/message").asText()).contains(digestOf("linux/amd64"));
    assertThat(delta).doesNotExist();
  }

  @Test
  void aNestedListWithoutPlatformIsAUsageErrorListingThePlatforms() throws Exception {
    nestTwice();
    Cli.Run run = Cli.run("export", "--dry-run", "--target", "oci:" + layout, "--baseline-manifest", baselineManifest.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("linux/arm/v7", "linux/amd64", "linux/arm64/v8", "linux/arm/v6", "--platform");
  }

  @Test
  void aPlatformNotInTheListIsAUsageError() throws Exception {
    nestTwice();
    Cli.Run run = export("linux/s390x", dir.resolve("delta.tar"));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.json().at("/error/message").asText()).contains("linux/s390x", "linux/arm64/v8");
  }
}
