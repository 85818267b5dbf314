package dev.diffah.transport.dockerarchive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.error.ContentException;
import dev.diffah.error.UsageException;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

class DockerArchiveDestinationTest {
  @TempDir Path tmp;

  @Test
  void roundTripLoadsInPodmanWithTheConfigDigestAsImageId() throws IOException {
    Path out = tmp.resolve("out.tar");
    ImageManifest original;
    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar")))) {
      original = Manifests.image(source.manifest().block(), "v1_s2");
      TestArchives.copy(source, TestArchives.reference(out), Optional.of("diffah-test:rt"), false);
    }

    Path podmanRoot = Files.createDirectories(tmp.resolve("podman"));
    Tools.Result load = Tools.podman(podmanRoot, "load", "-i", out.toString());
    assertThat(load.exitCode()).as(load.stderr()).isZero();
    String images = Tools.podman(podmanRoot, "images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}").stdout();
    assertThat(images.strip()).isEqualTo(original.config().digest() + " docker.io/library/diffah-test:rt");
    assertThat(load.stdout()).contains("Loaded image: docker.io/library/diffah-test:rt");

    assertSkopeoReadsConfig(out, original);

    try (ImageSource reread = TestArchives.open(TestArchives.reference(out))) {
      assertThat(reread.manifest().block().digest()).isEqualTo(original.digest());
      assertThat(reread.imageName()).contains("docker.io/library/diffah-test:rt");
    }
  }

  @Test
  void writesManifestJsonAndRepositoriesLikeDockerSave() throws IOException {
    Path out = tmp.resolve("named.tar");
    ImageManifest original;
    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v2_s2.tar")))) {
      original = Manifests.image(source.manifest().block(), "v2_s2");
      // the reference's NAME:TAG names the output, over the name the options carry
      TestArchives.copy(source, TestArchives.reference(out + ":app:v2"), Optional.of("ignored:v0"), false);
    }

    JsonNode manifest = Json.MAPPER.readTree(TestArchives.entry(out, "manifest.json"));
    String configHex = original.config().digest().hex();
    assertThat(manifest).hasSize(1);
    assertThat(manifest.get(0).get("Config").asText()).isEqualTo(configHex + ".json");
    assertThat(manifest.get(0).get("RepoTags").get(0).asText()).isEqualTo("docker.io/library/app:v2");
    assertThat(Stream.of(Json.MAPPER.treeToValue(manifest.get(0).get("Layers"), String[].class)).toList())
        .isEqualTo(original.layers().stream().map(l -> l.digest().hex() + ".tar").toList());
    assertThat(Json.MAPPER.readTree(TestArchives.entry(out, "repositories")).get("docker.io/library/app").get("v2").asText()).isEqualTo(configHex);
  }

  @Test
  void uncompressedSkopeoArchiveRoundTripsThroughSkopeo() throws IOException {
    Path skopeoArchive =
        TestArchives.skopeoToDockerArchive("oci-archive:" + Fixtures.fixture("v3_oci.tar"), tmp.resolve("sk.tar"), "app:v3");
    Path out = tmp.resolve("out.tar");
    ImageManifest original;
    try (ImageSource source = TestArchives.open(TestArchives.reference(skopeoArchive))) {
      original = Manifests.image(source.manifest().block(), "skopeo archive");
      TestArchives.copy(source, TestArchives.reference(out), source.imageName(), false);
    }

    assertSkopeoReadsConfig(out, original);
    // skopeo verifies every layer it copies against the config's DiffIDs
    String layout = "oci:" + tmp.resolve("layout") + ":app";
    Tools.skopeo("copy", "-q", "docker-archive:" + out, layout);
    assertThat(Json.MAPPER.readTree(Tools.skopeo("inspect", "--raw", layout)).get("layers")).hasSize(original.layers().size());
    try (ImageSource reread = TestArchives.open(TestArchives.reference(out + ":app:v3"))) {
      assertThat(reread.imageName()).contains("docker.io/library/app:v3");
    }
  }

  @Test
  void duplicateLayersStayInManifestOrder() throws IOException {
    byte[] layer = TestArchives.entry(Fixtures.fixture("v1_s2.tar"), baseLayerName());
    byte[] config = DockerArchiveSourceTest.config(DockerArchiveSourceTest.BASE_DIFF_ID, DockerArchiveSourceTest.BASE_DIFF_ID);
    Path in =
        TestArchives.write(
            tmp.resolve("dup.tar"),
            List.of(
                new TestArchives.File(baseLayerName(), layer),
                new TestArchives.File("c.json", config),
                TestArchives.File.of("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"" + baseLayerName() + "\",\"" + baseLayerName() + "\"]}]")));
    Path out = tmp.resolve("dup-out.tar");
    try (ImageSource source = TestArchives.open(TestArchives.reference(in))) {
      TestArchives.copy(source, TestArchives.reference(out), Optional.empty(), false);
    }

    JsonNode written = Json.MAPPER.readTree(TestArchives.entry(out, "manifest.json")).get(0);
    assertThat(written.get("Layers").size()).isEqualTo(2);
    assertThat(written.get("Layers").get(1)).isEqualTo(written.get("Layers").get(0));
    assertThat(written.get("RepoTags").isNull()).isTrue();
    assertThat(TarIndex.open(out).names()).doesNotContain("repositories");
  }

  @Test
  void closeWithoutCommitLeavesNothingBehind() {
    Path out = tmp.resolve("never.tar");
    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar")));
        ImageDestination dest = openDestination(out, false)) {
      Descriptor config = Manifests.image(source.manifest().block(), "v1").config();
      dest.putBlob(config, source.blob(config)).block();
    }
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void failedBlobMakesTheDestinationUncommittable() {
    Path out = tmp.resolve("failed.tar");
    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar")));
        ImageDestination dest = openDestination(out, false)) {
      ImageManifest image = Manifests.image(source.manifest().block(), "v1");
      Flux<java.nio.ByteBuffer> broken = source.blob(image.config()).concatWith(Flux.error(new IOException("network gone")));
      assertThatThrownBy(() -> dest.putBlob(image.config(), broken).block()).hasMessageContaining("network gone");
      assertThatThrownBy(() -> dest.commit().block()).isInstanceOf(IllegalStateException.class);
    }
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void manifestNamingABlobNeverPutIsAContentError() {
    Path out = tmp.resolve("partial.tar");
    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar")));
        ImageDestination dest = openDestination(out, false)) {
      RawManifest manifest = source.manifest().block();
      ImageManifest image = Manifests.image(manifest, "v1");
      dest.putBlob(image.config(), source.blob(image.config())).block();
      dest.putBlob(image.layers().get(0), source.blob(image.layers().get(0))).block();

      assertThatThrownBy(() -> dest.putManifest(manifest).block())
          .isInstanceOf(ContentException.class)
          .hasMessageContaining(image.layers().get(1).digest().toString());
    }
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void existingTargetIsAUsageErrorAtOpenUnlessReplacing() throws IOException {
    Path out = Files.writeString(tmp.resolve("exists.tar"), "keep me");
    assertThatThrownBy(() -> openDestination(out, false))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(out.toString());
    assertThat(out).hasContent("keep me");

    try (ImageSource source = TestArchives.open(TestArchives.reference(Fixtures.fixture("v1_s2.tar")))) {
      TestArchives.copy(source, TestArchives.reference(out), Optional.empty(), true);
    }
    assertThat(TarIndex.open(out).names()).contains("manifest.json");
  }

  @Test
  void indexSelectorCannotNameAnOutput() {
    ImageReference reference = TestArchives.reference(tmp.resolve("o.tar") + ":@0");
    assertThatThrownBy(() -> reference.openDestination(new DestinationOptions(Optional.empty(), false)).block())
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("@INDEX");
    assertThat(tmp).isEmptyDirectory();
  }

  /**
   * skopeo reads the config back byte for byte, and reports the config's DiffIDs as layers (it
   * presents every docker-archive layer uncompressed).
   */
  private static void assertSkopeoReadsConfig(Path archive, ImageManifest original) throws IOException {
    String config = Tools.skopeo("inspect", "--raw", "--config", "docker-archive:" + archive);
    assertThat(Digest.sha256(config.getBytes(StandardCharsets.UTF_8))).isEqualTo(original.config().digest());
    JsonNode inspected = Json.MAPPER.readTree(Tools.skopeo("inspect", "docker-archive:" + archive));
    List<String> diffIds =
        Manifests.config(config.getBytes(StandardCharsets.UTF_8), "config").diffIds().stream().map(Digest::toString).toList();
    assertThat(Stream.of(Json.MAPPER.treeToValue(inspected.get("Layers"), String[].class)).toList())
        .hasSize(original.layers().size())
        .isEqualTo(diffIds);
  }

  private static String baseLayerName() {
    return DockerArchiveSourceTest.BASE_LAYER.hex() + ".tar";
  }

  private static ImageDestination openDestination(Path out, boolean replace) {
    return TestArchives.reference(out).openDestination(new DestinationOptions(Optional.empty(), replace)).block();
  }
}
