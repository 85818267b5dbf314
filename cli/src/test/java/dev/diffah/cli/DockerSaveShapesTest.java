package dev.diffah.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.MediaTypes;
import dev.diffah.testkit.DockerSaves;
import dev.diffah.testkit.DockerSaves.Image;
import dev.diffah.testkit.DockerSaves.Layer;
import dev.diffah.testkit.DockerSaves.Tamper;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docker-archives as docker itself writes them (Docker 25+ OCI-layout archives and legacy {@code
 * <id>/layer.tar} archives) and with layers in every compression, generated small, exported,
 * imported and loaded by podman.
 */
class DockerSaveShapesTest {
  private static final Layer A = Layer.plain(1);
  private static final Layer B = Layer.plain(2);
  private static final Layer C = Layer.plain(3);

  @TempDir Path dir;

  private static Image image(String tag, Layer... layers) {
    return new Image(List.of(tag), List.of(layers));
  }

  private JsonNode sidecar(Path delta) {
    return Cli.run("inspect", "--format", "json", delta.toString()).json().at("/result/sidecar");
  }

  private static List<String> digests(JsonNode descriptors) {
    List<String> out = new ArrayList<>();
    descriptors.forEach(d -> out.add(d.get("digest").asText()));
    return out;
  }

  /** podman-loads a docker-archive into private storage and returns how many layers the image has. */
  private int podmanLayerCount(Path archive, String name) throws Exception {
    Path root = Files.createDirectories(dir.resolve("podman"));
    Tools.Result load = Tools.podman(root, "load", "-i", archive.toString());
    assertThat(load.exitCode()).as(load.stderr()).isZero();
    Tools.Result layers = Tools.podman(root, "image", "inspect", "--format", "{{len .RootFS.Layers}}", name);
    assertThat(layers.exitCode()).as(layers.stderr()).isZero();
    return Integer.parseInt(layers.stdout().trim());
  }

  private Path exportAndImport(String target, String baseline, int expectedShipped, int expectedRequired) {
    Path delta = dir.resolve("delta.tar");
    Cli.Run export = Cli.run("export", "--target", target, "--baseline", baseline, "--output", delta.toString(), "--format", "json");
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(export.json().at("/result/shipped_blobs").asInt()).isEqualTo(expectedShipped);
    assertThat(export.json().at("/result/required_blobs").asInt()).isEqualTo(expectedRequired);
    Path out = dir.resolve("rebuilt.tar");
    Cli.Run imported = Cli.run("import", "--delta", delta.toString(), "--baseline", baseline, "--output", out.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    return out;
  }

  @Test
  void docker25ArchivesRoundTripAndLoadInPodman() throws Exception {
    Path v1 = DockerSaves.docker25(dir.resolve("v1.tar"), List.of(image("app:v1", A, B)), Tamper.NONE);
    Path v2 = DockerSaves.docker25(dir.resolve("v2.tar"), List.of(image("app:v2", A, B, C)), Tamper.NONE);

    Path out = exportAndImport("docker-archive:" + v2, "docker-archive:" + v1, 1, 2);

    JsonNode entry = DockerSaves.manifestJson(out).get(0);
    assertThat(entry.get("Config").asText()).isEqualTo(image("app:v2", A, B, C).configDigest().hex() + ".json");
    assertThat(entry.get("RepoTags").get(0).asText()).isEqualTo("docker.io/library/app:v2");
    assertThat(podmanLayerCount(out, "docker.io/library/app:v2")).isEqualTo(3);
  }

  static Stream<Arguments> disagreeingDocker25Archives() {
    return Stream.of(
        Arguments.of("layers reordered", Tamper.ociManifest(m -> reverseLayers(m))),
        Arguments.of("layer size differs", Tamper.ociManifest(m -> editFirstLayer(m, l -> l.put("size", l.get("size").asLong() + 1)))),
        Arguments.of("layer digest differs", Tamper.ociManifest(m -> editFirstLayer(m, l -> l.put("digest", C.digest().toString())))),
        Arguments.of("no OCI manifest for the config", Tamper.ociManifest(m -> { ((ObjectNode) m.get("config")).put("digest", C.digest().toString()); return m; })),
        Arguments.of("layer missing", Tamper.ociManifest(m -> { ((ArrayNode) m.get("layers")).remove(1); return m; })),
        Arguments.of("manifest.json lists fewer layers than the config", Tamper.manifestJson(e -> { ((ArrayNode) e.get("Layers")).remove(1); return e; })));
  }

  private static ObjectNode reverseLayers(ObjectNode manifest) {
    ArrayNode layers = (ArrayNode) manifest.get("layers");
    ArrayNode reversed = manifest.putArray("layers");
    for (int i = layers.size() - 1; i >= 0; i--) {
      reversed.add(layers.get(i));
    }
    return manifest;
  }

  private static ObjectNode editFirstLayer(ObjectNode manifest, UnaryOperator<ObjectNode> edit) {
    edit.apply((ObjectNode) manifest.get("layers").get(0));
    return manifest;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disagreeingDocker25Archives")
  void docker25ArchiveWhoseTwoViewsDisagreeIsAContentError(String problem, Tamper tamper) {
    Path bad = DockerSaves.docker25(dir.resolve("bad.tar"), List.of(image("app:v2", A, B)), tamper);
    Path delta = dir.resolve("delta.tar");

    Cli.Run run = Cli.run("export", "--target", "docker-archive:" + bad, "--baseline-manifest", baselineManifest().toString(), "--output", delta.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains(bad.toString(), "manifest.json").doesNotContain("Exception");
    assertThat(delta).doesNotExist();
  }

  @Test
  void layerCountOtherThanTheConfigsDiffIdsIsAContentErrorInAnyDockerArchive() {
    Tamper dropSecondLayer = Tamper.manifestJson(e -> { ((ArrayNode) e.get("Layers")).remove(1); return e; });
    Path bad = DockerSaves.skopeoStyle(dir.resolve("bad.tar"), List.of(image("app:v1", A, B)), dropSecondLayer);

    Cli.Run run = Cli.run("export", "--dry-run", "--target", "docker-archive:" + bad, "--baseline-manifest", baselineManifest().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains(bad.toString(), "1 layer", "2 DiffIDs");
  }

  @Test
  void legacyDockerSaveWithSymlinkedLayerRoundTrips() throws Exception {
    Path v1 = DockerSaves.legacy(dir.resolve("v1.tar"), image("app:v1", A, B));
    Path v2 = DockerSaves.legacy(dir.resolve("v2.tar"), image("app:v2", A, B, A, C));
    assertThat(Tools.check("tar", "-tvf", v2.toString())).contains("layer.tar -> ../");

    Path out = exportAndImport("docker-archive:" + v2, "docker-archive:" + v1, 1, 2);

    assertThat(podmanLayerCount(out, "docker.io/library/app:v2")).isEqualTo(4);
  }

  @Test
  void aLayerListedTwiceShipsOnceAndKeepsBothPositions() throws Exception {
    Path target = DockerSaves.docker25(dir.resolve("target.tar"), List.of(image("app:dup", A, B, A)), Tamper.NONE);
    Path unrelated = DockerSaves.docker25(dir.resolve("base.tar"), List.of(image("app:base", C)), Tamper.NONE);
    Path delta = dir.resolve("unrelated-delta.tar");
    assertThat(Cli.run("export", "--target", "docker-archive:" + target, "--baseline", "docker-archive:" + unrelated, "--output", delta.toString()).exitCode()).isZero();
    assertThat(digests(sidecar(delta).get("shipped_in_delta"))).containsExactly(A.digest().toString(), B.digest().toString());

    Path baseline = DockerSaves.docker25(dir.resolve("v1.tar"), List.of(image("app:v1", A)), Tamper.NONE);
    Path out = exportAndImport("docker-archive:" + target, "docker-archive:" + baseline, 1, 1);
    assertThat(digests(sidecar(dir.resolve("delta.tar")).get("required_from_baseline"))).containsExactly(A.digest().toString());

    JsonNode layers = DockerSaves.manifestJson(out).get(0).get("Layers");
    assertThat(layers).hasSize(3);
    assertThat(layers.get(0)).isEqualTo(layers.get(2)).isNotEqualTo(layers.get(1));
    assertThat(podmanLayerCount(out, "docker.io/library/app:dup")).isEqualTo(3);
  }

  @Test
  void layerCompressionIsDetectedByMagicBytes() throws Exception {
    Layer gzip = Layer.gzip(11);
    Layer zstd = Layer.zstd(12);
    Layer plain = Layer.plain(13);
    Path target = DockerSaves.skopeoStyle(dir.resolve("mixed.tar"), List.of(image("app:mixed", gzip, zstd, plain)));
    Path baseline = DockerSaves.skopeoStyle(dir.resolve("base.tar"), List.of(image("app:base", gzip)));

    Path out = exportAndImport("docker-archive:" + target, "docker-archive:" + baseline, 2, 1);

    JsonNode sidecar = sidecar(dir.resolve("delta.tar"));
    assertThat(sidecar.at("/required_from_baseline/0/media_type").asText()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
    assertThat(sidecar.at("/shipped_in_delta/0/media_type").asText()).isEqualTo(MediaTypes.DOCKER_LAYER_ZSTD);
    assertThat(sidecar.at("/shipped_in_delta/0/digest").asText()).isEqualTo(zstd.digest().toString());
    assertThat(sidecar.at("/shipped_in_delta/1/media_type").asText()).isEqualTo(MediaTypes.DOCKER_LAYER);
    assertThat(sidecar.at("/shipped_in_delta/1/digest").asText()).isEqualTo(plain.diffId().toString());
    assertThat(podmanLayerCount(out, "docker.io/library/app:mixed")).isEqualTo(3);
  }

  /** A manifest of an unrelated image, so a bad target fails on its own account. */
  private Path baselineManifest() {
    Path unrelated = DockerSaves.skopeoStyle(dir.resolve("unrelated.tar"), List.of(image("other:v1", C)));
    Path manifest = dir.resolve("baseline-manifest.json");
    try {
      Files.writeString(manifest, Tools.skopeo("inspect", "--raw", "docker-archive:" + unrelated));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return manifest;
  }
}
