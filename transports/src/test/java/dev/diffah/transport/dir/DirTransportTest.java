package dev.diffah.transport.dir;

import static dev.diffah.transport.oci.LayoutTestSupport.copy;
import static dev.diffah.transport.oci.LayoutTestSupport.imageManifest;
import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static dev.diffah.transport.oci.LayoutTestSupport.skopeoDigest;
import static dev.diffah.transport.oci.LayoutTestSupport.verifiedLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The {@code dir:} transport against directories skopeo writes and reads. */
class DirTransportTest {
  @TempDir Path tmp;

  @Test
  void readsADirectorySkopeoWrote() throws IOException {
    Path dir = tmp.resolve("d");
    Tools.skopeo("copy", "-q", "oci-archive:" + Fixtures.fixture("v1_oci.tar"), "dir:" + dir);

    try (ImageSource source = open("dir:" + dir)) {
      ImageManifest manifest = imageManifest(source);

      assertThat(manifest.raw().bytes()).isEqualTo(Files.readAllBytes(dir.resolve("manifest.json")));
      assertThat(manifest.digest().toString()).startsWith("sha256:e1e79e68");
      assertThat(source.imageName()).isEmpty();
      assertThat(verifiedLength(source, manifest.config())).isEqualTo(manifest.config().size());
      for (Descriptor layer : manifest.layers()) {
        assertThat(source.hasBlob(layer).block()).isTrue();
        assertThat(verifiedLength(source, layer)).isEqualTo(layer.size());
      }
    }
  }

  @ParameterizedTest
  @FieldSource("dev.diffah.transport.oci.LayoutTestSupport#OCI_FIXTURES")
  void roundTripKeepsTheManifestAndSkopeoReadsIt(String fixture) throws IOException {
    Path dir = tmp.resolve("out");
    RawManifest written;
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture(fixture))) {
      written = copy(source, "dir:" + dir, source.imageName());
    }

    assertThat(Files.readString(dir.resolve("version"))).isEqualTo("Directory Transport Version: 1.1\n");
    assertThat(Files.readAllBytes(dir.resolve("manifest.json"))).isEqualTo(written.bytes());
    try (ImageSource reread = open("dir:" + dir)) {
      assertThat(reread.manifest().block().digest()).isEqualTo(written.digest());
    }
    assertThat(skopeoDigest("dir:" + dir)).isEqualTo(written.digest().toString());
  }

  @Test
  void aDirectoryWithoutVersionIsNotAnImage() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("plain"));
    Files.writeString(dir.resolve("manifest.json"), "{}");

    assertThatThrownBy(() -> open("dir:" + dir))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is not an image directory");
  }

  @Test
  void aMissingBlobIsAContentErrorNamingIt() throws IOException {
    Path dir = tmp.resolve("d");
    Tools.skopeo("copy", "-q", "oci-archive:" + Fixtures.fixture("v1_oci.tar"), "dir:" + dir);
    try (ImageSource source = open("dir:" + dir)) {
      Descriptor layer = imageManifest(source).layers().get(1);
      Files.delete(dir.resolve(layer.digest().hex()));

      assertThat(source.hasBlob(layer).block()).isFalse();
      assertThatThrownBy(() -> source.blob(layer).blockLast())
          .isInstanceOf(ContentException.class)
          .hasMessageContaining(layer.digest().toString())
          .hasMessageContaining("dir:" + dir);
    }
  }
}
