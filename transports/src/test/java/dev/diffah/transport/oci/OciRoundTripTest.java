package dev.diffah.transport.oci;

import static dev.diffah.transport.oci.LayoutTestSupport.copy;
import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static dev.diffah.transport.oci.LayoutTestSupport.skopeoDigest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every fixture written to {@code oci:} and {@code oci-archive:}, then read by us, skopeo and umoci. */
class OciRoundTripTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @FieldSource("dev.diffah.transport.oci.LayoutTestSupport#OCI_FIXTURES")
  void directoryLayoutKeepsTheManifestAndSkopeoReadsIt(String fixture) throws IOException {
    Path layout = tmp.resolve("layout");
    Written written = copyFixture(fixture, "oci:" + layout);

    assertThat(Files.readString(layout.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(Files.readAllBytes(layout.resolve("blobs/sha256").resolve(written.manifest.digest().hex())))
        .isEqualTo(written.manifest.bytes());
    assertIndexEntry(Files.readAllBytes(layout.resolve("index.json")), written);
    assertRereadDigest("oci:" + layout, written);
    assertRereadDigest("oci:" + layout + ":" + written.name, written);
    assertThat(skopeoDigest("oci:" + layout)).isEqualTo(written.manifest.digest().toString());
    assertThat(skopeoDigest("oci:" + layout + ":" + written.name)).isEqualTo(written.manifest.digest().toString());
  }

  @ParameterizedTest
  @FieldSource("dev.diffah.transport.oci.LayoutTestSupport#OCI_FIXTURES")
  void archiveLayoutKeepsTheManifestAndSkopeoReadsIt(String fixture) {
    Path archive = tmp.resolve("image.tar");
    Written written = copyFixture(fixture, "oci-archive:" + archive);

    TarIndex tar = TarIndex.open(archive);
    assertThat(tar.names()).containsExactlyElementsOf(expectedEntryOrder(written.manifest));
    assertIndexEntry(tar.readSmall("index.json", Json.MAX_DOCUMENT_BYTES).block(), written);
    assertRereadDigest("oci-archive:" + archive, written);
    assertThat(skopeoDigest("oci-archive:" + archive)).isEqualTo(written.manifest.digest().toString());
  }

  @Test
  void theSameImageGivesTheSameArchiveBytes() throws IOException {
    Path first = tmp.resolve("first.tar");
    Path second = tmp.resolve("second.tar");
    copyFixture("v1_oci.tar", "oci-archive:" + first);
    copyFixture("v1_oci.tar", "oci-archive:" + second);

    assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
  }

  @Test
  void theReferenceNameWinsOverTheSuggestedName() throws IOException {
    Path layout = tmp.resolve("layout");
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture("v1_oci.tar"))) {
      copy(source, "oci:" + layout + ":custom", source.imageName());
    }

    try (ImageSource reread = open("oci:" + layout + ":custom")) {
      assertThat(reread.imageName()).contains("custom");
    }
  }

  /** umoci takes {@code --image DIR:TAG} and splits at the first colon, so TAG may hold colons and slashes. */
  @ParameterizedTest
  @ValueSource(strings = {"diffah-fixture:v1", "docker.io/library/app:v2", "v1"})
  void umociUnpacksTheDirectoryLayout(String name) throws IOException {
    Path layout = tmp.resolve("layout");
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture("v1_oci.tar"))) {
      copy(source, "oci:" + layout + ":" + name, Optional.empty());
    }
    Path bundle = tmp.resolve("bundle");

    Tools.check("umoci", "unpack", "--image", layout + ":" + name, bundle.toString());

    assertThat(bundle.resolve("config.json")).isRegularFile();
    assertThat(LayoutTestSupport.listing(bundle.resolve("rootfs"))).isNotEmpty();
  }

  private record Written(RawManifest manifest, String name) {}

  private static Written copyFixture(String fixture, String destination) {
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture(fixture))) {
      String name = source.imageName().orElseThrow();
      return new Written(copy(source, destination, Optional.of(name)), name);
    }
  }

  private static void assertRereadDigest(String reference, Written written) {
    try (ImageSource reread = open(reference)) {
      assertThat(reread.manifest().block()).isEqualTo(written.manifest);
      assertThat(reread.imageName()).contains(written.name);
    }
  }

  private static void assertIndexEntry(byte[] indexJson, Written written) {
    JsonNode entries;
    try {
      entries = Json.MAPPER.readTree(indexJson).path("manifests");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.path("mediaType").asText()).isEqualTo(written.manifest.mediaType());
    assertThat(entry.path("digest").asText()).isEqualTo(written.manifest.digest().toString());
    assertThat(entry.path("size").asLong()).isEqualTo(written.manifest.size());
    assertThat(entry.path("annotations").path("org.opencontainers.image.ref.name").asText()).isEqualTo(written.name);
  }

  private static List<String> expectedEntryOrder(RawManifest raw) {
    ImageManifest manifest = Manifests.image(raw, "written");
    List<String> names = new ArrayList<>(List.of("oci-layout", "blobs", "blobs/sha256"));
    List<Descriptor> blobs = new ArrayList<>(manifest.distinctLayers());
    blobs.add(0, manifest.config());
    blobs.forEach(blob -> names.add("blobs/sha256/" + blob.digest().hex()));
    names.add("blobs/sha256/" + raw.digest().hex());
    names.add("index.json");
    return names;
  }
}
