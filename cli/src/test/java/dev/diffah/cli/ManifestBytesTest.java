package dev.diffah.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import dev.diffah.testkit.ImageGenerator;
import dev.diffah.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A manifest's digest is the hash of its exact bytes, so every byte of an oddly formatted manifest
 * (indentation, CRLF, unknown fields, annotations, unusual key order) must survive export and
 * import into every format that stores manifests verbatim.
 */
class ManifestBytesTest {
  @TempDir Path dir;

  /** A layout holding "base" (layer 1) and "odd" (layers 1 and 2, hand-formatted manifest). */
  private Path layoutWithOddManifest(byte[] manifest) throws Exception {
    Path layout = dir.resolve("layout");
    ImageGenerator.Layer shared = ImageGenerator.layer(layout, 300, 51, true);
    ImageGenerator.image(layout, List.of(shared), "base");
    ObjectNode base = (ObjectNode) Json.MAPPER.readTree(layout.resolve("index.json").toFile()).at("/manifests/0");
    Digest digest = Digest.sha256(manifest);
    Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), manifest);
    ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2);
    ArrayNode entries = index.putArray("manifests").add(base);
    entries.addObject()
        .put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("digest", digest.toString())
        .put("size", manifest.length)
        .putObject("annotations")
        .put("org.opencontainers.image.ref.name", "odd");
    Files.write(layout.resolve("index.json"), Json.MAPPER.writeValueAsBytes(index));
    return layout;
  }

  /** The odd manifest over a config and layers written into {@code layout} first. */
  private byte[] oddManifest(Path layout) throws Exception {
    ImageGenerator.Layer shared = ImageGenerator.layer(layout, 300, 51, true);
    ImageGenerator.Layer top = ImageGenerator.layer(layout, 300, 52, false);
    byte[] config =
        ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + shared.diffId() + "\",\"" + top.diffId() + "\"]}}")
            .getBytes(StandardCharsets.UTF_8);
    Digest configDigest = Digest.sha256(config);
    Files.write(Files.createDirectories(layout.resolve("blobs/sha256")).resolve(configDigest.hex()), config);
    String text =
        String.join(
            "\r\n",
            "{",
            "    \"layers\" : [",
            "        {\"size\": " + shared.size() + ", \"digest\": \"" + shared.digest() + "\", \"mediaType\": \"" + shared.mediaType() + "\",",
            "         \"annotations\": {\"org.example.note\": \"shared \\u00e9 layer\"}},",
            "        {\"mediaType\":\"" + top.mediaType() + "\",\"digest\":\"" + top.digest() + "\",\"size\":" + top.size() + ", \"x-unknown\": [1, 2.50, null]}",
            "    ],",
            "\t\"config\": {\"digest\": \"" + configDigest + "\", \"size\": " + config.length + ", \"mediaType\": \"" + MediaTypes.OCI_CONFIG + "\"},",
            "  \"annotations\": {\"org.opencontainers.image.created\": \"2024-01-01T00:00:00Z\"},",
            "  \"x-vendor-extension\": {\"nested\": {\"deep\": true}},",
            "  \"mediaType\": \"" + MediaTypes.OCI_MANIFEST + "\",",
            "  \"schemaVersion\": 2",
            "}",
            "");
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive", "dir"})
  void oddlyFormattedManifestSurvivesByteForByte(String format) throws Exception {
    Path staging = Files.createDirectories(dir.resolve("layout"));
    byte[] manifest = oddManifest(staging);
    Path layout = layoutWithOddManifest(manifest);
    Path delta = dir.resolve("delta.tar");
    Cli.Run export =
        Cli.run("export", "--format", "json", "--target", "oci:" + layout + ":odd", "--baseline", "oci:" + layout + ":base", "--output", delta.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(export.json().at("/result/shipped_blobs").asInt()).isEqualTo(1);
    assertThat(export.json().at("/result/required_blobs").asInt()).isEqualTo(1);

    Path out = dir.resolve("out-" + format);
    Cli.Run imported =
        Cli.run("import", "--delta", delta.toString(), "--baseline", "oci:" + layout + ":base", "--output", out.toString(), "--output-format", format);
    assertThat(imported.exitCode()).as(imported.toString()).isZero();

    String readBack = Tools.skopeo("inspect", "--raw", format + ":" + out);
    assertThat(readBack.getBytes(StandardCharsets.UTF_8)).isEqualTo(manifest);
    assertThat(readBack).contains("\r\n", "x-vendor-extension", "\\u00e9");
  }

  @Test
  void theDeltaCarriesTheManifestVerbatimAndItsDigestIsTheBytesHash() throws Exception {
    Path staging = Files.createDirectories(dir.resolve("layout"));
    byte[] manifest = oddManifest(staging);
    Path layout = layoutWithOddManifest(manifest);
    Path delta = dir.resolve("delta.tar");
    assertThat(Cli.run("export", "--target", "oci:" + layout + ":odd", "--baseline", "oci:" + layout + ":base", "--output", delta.toString()).exitCode()).isZero();

    Path extracted = Files.createDirectories(dir.resolve("extracted"));
    Tools.check("tar", "-xf", delta.toString(), "-C", extracted.toString());
    assertThat(Files.readAllBytes(extracted.resolve("manifest.json"))).isEqualTo(manifest);
    assertThat(Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/sidecar/target/manifest_digest").asText())
        .isEqualTo(Digest.sha256(manifest).toString());
  }
}
