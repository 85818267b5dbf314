package dev.diffah.transport.oci;

import static dev.diffah.transport.oci.LayoutTestSupport.imageManifest;
import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.ContentException;
import dev.diffah.error.DigestMismatchException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Descriptor;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged and hostile layouts, each as a directory ({@code oci:}) and as a tar of the same
 * directory ({@code oci-archive:}), starting from a layout skopeo wrote.
 */
class OciHostileInputTest {
  private static final String MANIFEST_HEX = "e1e79e6858384e39151817d4f88818346c441f69d4852e41f5437b347128726a";

  @TempDir Path tmp;
  private Path layout;

  @BeforeEach
  void writeLayout() {
    layout = tmp.resolve("layout");
    Tools.skopeo("copy", "-q", "oci-archive:" + Fixtures.fixture("v1_oci.tar"), "oci:" + layout + ":v1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aDigestThatClimbsOutOfTheLayoutIsRefused(String transport) throws IOException {
    rewrite("index.json", index -> index.replace("sha256:" + MANIFEST_HEX, "sha256:../../x"));

    assertThatThrownBy(() -> open(reference(transport)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("index.json")
        .hasMessageContaining("invalid digest 'sha256:../../x'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aMalformedIndexIsAContentError(String transport) throws IOException {
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[");

    assertThatThrownBy(() -> open(reference(transport)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("index.json")
        .hasMessageContaining("malformed JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aMissingLayerIsAContentErrorNamingItOnlyWhenRead(String transport) throws IOException {
    Descriptor layer;
    try (ImageSource intact = open("oci:" + layout)) {
      layer = imageManifest(intact).layers().get(1);
    }
    Files.delete(layout.resolve("blobs/sha256").resolve(layer.digest().hex()));

    try (ImageSource source = open(reference(transport))) {
      assertThat(imageManifest(source).layers()).contains(layer);
      assertThat(source.hasBlob(layer).block()).isFalse();
      assertThatThrownBy(() -> source.blob(layer).blockLast())
          .isInstanceOf(ContentException.class)
          .hasMessageContaining(layer.digest().toString())
          .hasMessageContaining(reference(transport));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aMissingManifestIsAContentErrorNamingIt(String transport) throws IOException {
    Files.delete(layout.resolve("blobs/sha256").resolve(MANIFEST_HEX));

    try (ImageSource source = open(reference(transport))) {
      assertThatThrownBy(() -> source.manifest().block())
          .isInstanceOf(ContentException.class)
          .hasMessageContaining("sha256:" + MANIFEST_HEX);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aManifestThatDoesNotMatchItsDigestIsRefused(String transport) throws IOException {
    rewrite("blobs/sha256/" + MANIFEST_HEX, manifest -> manifest.replace("\"schemaVersion\":2", "\"schemaVersion\":3"));

    try (ImageSource source = open(reference(transport))) {
      assertThatThrownBy(() -> source.manifest().block())
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining("sha256:" + MANIFEST_HEX);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aLayoutWithoutImageLayoutVersionIsRefused(String transport) throws IOException {
    Files.writeString(layout.resolve("oci-layout"), "{}");

    assertThatThrownBy(() -> open(reference(transport)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is not an OCI image layout")
        .hasMessageContaining("imageLayoutVersion");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive"})
  void aTreeWithoutOciLayoutIsNotALayout(String transport) throws IOException {
    Files.delete(layout.resolve("oci-layout"));

    assertThatThrownBy(() -> open(reference(transport)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is not an OCI image layout");
  }

  @Test
  void aMissingDirectoryIsAUsageError() {
    assertThatThrownBy(() -> open("oci:" + tmp.resolve("absent")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void aMissingArchiveIsAUsageError() {
    assertThatThrownBy(() -> open("oci-archive:" + tmp.resolve("absent.tar")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("absent.tar");
  }

  /** The layout as the transport reads it; for oci-archive, a tar of the directory as it is now. */
  private String reference(String transport) {
    if (transport.equals("oci")) {
      return "oci:" + layout;
    }
    Path archive = tmp.resolve("layout.tar");
    if (!Files.exists(archive)) {
      Tools.check("tar", "-C", layout.toString(), "-cf", archive.toString(), ".");
    }
    return "oci-archive:" + archive;
  }

  private void rewrite(String name, java.util.function.UnaryOperator<String> edit) throws IOException {
    Path file = layout.resolve(name);
    String before = Files.readString(file, StandardCharsets.UTF_8);
    String after = edit.apply(before);
    assertThat(after).isNotEqualTo(before);
    Files.writeString(file, after, StandardCharsets.UTF_8);
  }
}
