package dev.diffah.transport.dockerarchive;

import static dev.diffah.transport.dockerarchive.TestArchives.assertBlobVerifies;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.Zstd;
import dev.diffah.error.ContentException;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.transport.dockerarchive.TestArchives.File;
import dev.diffah.transport.dockerarchive.TestArchives.Symlink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

class DockerArchiveSourceTest {
  static final Digest BASE_LAYER =
      Digest.parse("sha256:f3f445cb429b9458abeaef6830a665faefd682f05ae16d4b102aa4a14e93bbc8");
  static final Digest BASE_DIFF_ID =
      Digest.parse("sha256:0e3589029254084367527ead5fcd5d56f90ec57876187b481c33d6a009e09476");
  private static final String BASE_LAYER_FILE = BASE_LAYER.hex() + ".tar";

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"v1_s2.tar", "v2_s2.tar", "v3_s2.tar", "v4_baseline_s2.tar", "v4_target_s2.tar"})
  void everyFixtureOpensWithASynthesisedManifestWhoseBlobsVerify(String fixture) throws IOException {
    Path archive = Fixtures.fixture(fixture);
    JsonNode listed = Json.MAPPER.readTree(TestArchives.entry(archive, "manifest.json")).get(0);
    byte[] configBytes = TestArchives.entry(archive, listed.get("Config").asText());

    try (ImageSource source = TestArchives.open(TestArchives.reference(archive))) {
      RawManifest raw = source.manifest().block();
      ImageManifest image = Manifests.image(raw, fixture);

      assertThat(raw.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
      assertThat(image.config())
          .isEqualTo(Descriptor.of(MediaTypes.DOCKER_CONFIG, Digest.sha256(configBytes), configBytes.length));
      assertThat(image.layers()).hasSize(listed.get("Layers").size());
      assertThat(image.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.DOCKER_LAYER_GZIP));
      assertThat(source.imageName()).contains(listed.get("RepoTags").get(0).asText());
      assertBlobVerifies(source, image.config());
      image.layers().forEach(layer -> assertBlobVerifies(source, layer));
    }
  }

  @Test
  void theSameArchiveAlwaysGivesTheSameManifestDigest() {
    Path archive = Fixtures.fixture("v2_s2.tar");
    Digest first = TestArchives.open(TestArchives.reference(archive)).manifest().block().digest();
    Digest second = TestArchives.open(TestArchives.reference(archive)).manifest().block().digest();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void dockerArchiveAndOciArchiveOfOneImageDescribeTheSameBlobs() throws IOException {
    ImageManifest oci = ociManifest(Fixtures.fixture("v1_oci.tar"));
    ImageManifest docker =
        Manifests.image(TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar"))).manifest().block(), "v1_s2");

    assertThat(docker.config().digest()).isEqualTo(oci.config().digest());
    assertThat(docker.config().size()).isEqualTo(oci.config().size());
    assertThat(docker.layers()).extracting(Descriptor::digest).isEqualTo(oci.layers().stream().map(Descriptor::digest).toList());
    assertThat(docker.layers()).extracting(Descriptor::size).isEqualTo(oci.layers().stream().map(Descriptor::size).toList());
    assertThat(docker.layers().get(0).digest()).isEqualTo(BASE_LAYER);
    assertThat(docker.layers().get(0).size()).isEqualTo(1_050_220L);
  }

  @Test
  void skopeoWrittenArchiveWithUncompressedLayersAndLegacySymlinksOpens() {
    Path archive = TestArchives.skopeoToDockerArchive("oci-archive:" + Fixtures.fixture("v1_oci.tar"), tmp.resolve("x.tar"), "app:v1");
    assertThat(TarIndex.open(archive).names()).contains("repositories").anyMatch(n -> n.endsWith("/layer.tar"));

    try (ImageSource source = TestArchives.open(TestArchives.reference(archive + ":app:v1"))) {
      ImageManifest image = Manifests.image(source.manifest().block(), "skopeo archive");

      assertThat(image.layers()).extracting(Descriptor::mediaType).containsOnly(MediaTypes.DOCKER_LAYER);
      assertThat(image.layers().get(0).digest()).isEqualTo(BASE_DIFF_ID);
      assertThat(source.imageName()).contains("docker.io/library/app:v1");
      assertBlobVerifies(source, image.config());
      image.layers().forEach(layer -> assertBlobVerifies(source, layer));
    }
  }

  @Test
  void legacyLayerFilesAreHashedWhenTheirNameStatesNoDigest() throws IOException {
    byte[] gzipLayer = fixtureBaseLayer();
    byte[] zstdLayer = Zstd.compress(gunzip(gzipLayer));
    byte[] config = config(BASE_DIFF_ID, BASE_DIFF_ID);
    Path archive =
        TestArchives.write(
            tmp.resolve("legacy.tar"),
            List.of(
                new File("aaaa/layer.tar", gzipLayer),
                new File("bbbb/layer.tar", zstdLayer),
                new File("config.json", config),
                File.of("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":null,\"Layers\":[\"aaaa/layer.tar\",\"bbbb/layer.tar\"]}]")));

    try (ImageSource source = TestArchives.open(TestArchives.reference(archive))) {
      ImageManifest image = Manifests.image(source.manifest().block(), "legacy");

      assertThat(image.layers())
          .containsExactly(
              Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, BASE_LAYER, gzipLayer.length),
              Descriptor.of(MediaTypes.DOCKER_LAYER_ZSTD, Digest.sha256(zstdLayer), zstdLayer.length));
      assertThat(source.imageName()).isEmpty();
      image.layers().forEach(layer -> assertBlobVerifies(source, layer));
    }
  }

  @Test
  void docker25ArchiveWithBlobPathsAndDuplicateLayersKeepsTheirOrder() throws IOException {
    byte[] layer = gunzip(fixtureBaseLayer());
    byte[] config = config(BASE_DIFF_ID, BASE_DIFF_ID);
    String layerPath = "blobs/sha256/" + BASE_DIFF_ID.hex();
    String configPath = "blobs/sha256/" + Digest.sha256(config).hex();
    Path archive =
        TestArchives.write(
            tmp.resolve("docker25.tar"),
            List.of(
                new File(layerPath, layer),
                new File(configPath, config),
                File.of("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"),
                File.of(
                    "manifest.json",
                    "[{\"Config\":\"" + configPath + "\",\"RepoTags\":[\"app:v1\"],\"Layers\":[\"" + layerPath + "\",\"" + layerPath + "\"]}]")));

    try (ImageSource source = TestArchives.open(TestArchives.reference(archive))) {
      ImageManifest image = Manifests.image(source.manifest().block(), "docker25");
      Descriptor expected = Descriptor.of(MediaTypes.DOCKER_LAYER, BASE_DIFF_ID, layer.length);

      assertThat(image.layers()).containsExactly(expected, expected);
      assertThat(image.config().digest()).isEqualTo(Digest.sha256(config));
      assertBlobVerifies(source, expected);
      assertThat(TestArchives.readBlob(source, image.config())).isEqualTo(config);
    }
  }

  @Test
  void symlinkedLayerResolvesRelativeToItsDirectory() throws IOException {
    byte[] gzipLayer = fixtureBaseLayer();
    byte[] config = config(BASE_DIFF_ID);
    Path archive =
        TestArchives.write(
            tmp.resolve("symlink.tar"),
            List.of(
                new File(BASE_LAYER_FILE, gzipLayer),
                new Symlink("cccc/layer.tar", "../" + BASE_LAYER_FILE),
                new File("c.json", config),
                File.of("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"cccc/layer.tar\"]}]")));

    try (ImageSource source = TestArchives.open(TestArchives.reference(archive))) {
      Descriptor layer = Manifests.image(source.manifest().block(), "symlink").layers().get(0);

      assertThat(layer).isEqualTo(Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, BASE_LAYER, gzipLayer.length));
      assertBlobVerifies(source, layer);
    }
  }

  @Test
  void absentBlobsAndIndexChildrenAreContentErrors() {
    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar")))) {
      Descriptor base = Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, BASE_LAYER, 1_050_220L);
      Descriptor absent = Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, Digest.sha256(new byte[] {1}), 1);

      assertThat(source.hasBlob(base).block()).isTrue();
      assertThat(source.hasBlob(absent).block()).isFalse();
      StepVerifier.create(source.blob(absent))
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ContentException.class).hasMessageContaining(absent.digest().toString()))
          .verify();
      StepVerifier.create(source.manifest(absent)).expectError(ContentException.class).verify();
    }
  }

  private static ImageManifest ociManifest(Path ociArchive) throws IOException {
    JsonNode index = Json.MAPPER.readTree(TestArchives.entry(ociArchive, "index.json"));
    Digest digest = Digest.parse(index.get("manifests").get(0).get("digest").asText());
    return Manifests.image(
        RawManifest.of(TestArchives.entry(ociArchive, "blobs/sha256/" + digest.hex()), null), ociArchive.toString());
  }

  private static byte[] fixtureBaseLayer() {
    return TestArchives.entry(Fixtures.fixture("v1_s2.tar"), BASE_LAYER_FILE);
  }

  static byte[] gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  static byte[] config(Digest... diffIds) throws IOException {
    var rootfs = Json.MAPPER.createObjectNode().put("type", "layers");
    var ids = rootfs.putArray("diff_ids");
    for (Digest d : diffIds) {
      ids.add(d.toString());
    }
    var config = Json.MAPPER.createObjectNode().put("architecture", "amd64").put("os", "linux");
    config.set("rootfs", rootfs);
    return Json.MAPPER.writeValueAsBytes(config);
  }
}
