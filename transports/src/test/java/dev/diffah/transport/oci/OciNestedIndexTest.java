package dev.diffah.transport.oci;

import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.ManifestIndex;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.Platform;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layout whose index.json names an image index with two platforms (v1 for linux/amd64, v2 for
 * linux/arm64/v8): the source returns the index verbatim and each instance through manifest(child).
 */
class OciNestedIndexTest {
  private static final String V1 = "sha256:e1e79e6858384e39151817d4f88818346c441f69d4852e41f5437b347128726a";
  private static final String V2 = "sha256:0488d7cdd5e6c730cf45521ce6647fe48f968bd470744f0b9835146f36f1febb";

  @TempDir Path tmp;
  private Path layout;
  private byte[] nestedIndex;

  @BeforeEach
  void buildLayout() throws IOException {
    layout = tmp.resolve("layout");
    Tools.skopeo("copy", "-q", "oci-archive:" + Fixtures.fixture("v1_oci.tar"), "oci:" + layout + ":v1");
    Tools.skopeo("copy", "-q", "oci-archive:" + Fixtures.fixture("v2_oci.tar"), "oci:" + layout + ":v2");
    nestedIndex =
        Json.MAPPER.writeValueAsBytes(
            Map.of(
                "schemaVersion", 2,
                "mediaType", MediaTypes.OCI_INDEX,
                "manifests",
                    List.of(
                        instance(V1, new Platform("linux", "amd64", null)),
                        instance(V2, new Platform("linux", "arm64", "v8")))));
    Digest digest = Digest.sha256(nestedIndex);
    Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), nestedIndex);
    Descriptor entry =
        new Descriptor(
            MediaTypes.OCI_INDEX,
            digest,
            nestedIndex.length,
            null,
            Map.of("org.opencontainers.image.ref.name", "multi"));
    Files.write(
        layout.resolve("index.json"),
        Json.MAPPER.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(entry))));
  }

  @Test
  void directoryLayoutReturnsTheNestedIndexAndItsInstances() {
    assertNestedIndex("oci:" + layout);
    assertNestedIndex("oci:" + layout + ":multi");
  }

  @Test
  void archivedLayoutReturnsTheNestedIndexAndItsInstances() {
    Path archive = tmp.resolve("multi.tar");
    Tools.check("tar", "-C", layout.toString(), "-cf", archive.toString(), ".");

    assertNestedIndex("oci-archive:" + archive);
  }

  @Test
  void skopeoCopyAllToDirIsReadWithItsInstances() {
    Path dir = tmp.resolve("d");
    Tools.skopeo("copy", "-q", "--all", "oci:" + layout + ":multi", "dir:" + dir);

    assertNestedIndex("dir:" + dir);
  }

  private void assertNestedIndex(String reference) {
    try (ImageSource source = open(reference)) {
      RawManifest top = source.manifest().block();
      assertThat(top.bytes()).isEqualTo(nestedIndex);
      assertThat(top.isIndex()).isTrue();

      ManifestIndex index = Manifests.index(top, reference);
      assertThat(index.manifests()).hasSize(2);
      assertThat(source.manifest(index.manifests().get(0)).block().digest().toString()).isEqualTo(V1);
      assertThat(source.manifest(index.manifests().get(1)).block().digest().toString()).isEqualTo(V2);
      assertThat(Manifests.image(source.manifest(index.manifests().get(1)).block(), reference).layers())
          .hasSize(2);
    }
  }

  private Descriptor instance(String digest, Platform platform) throws IOException {
    Digest parsed = Digest.parse(digest);
    long size = Files.size(layout.resolve("blobs/sha256").resolve(parsed.hex()));
    return new Descriptor(MediaTypes.OCI_MANIFEST, parsed, size, platform, null);
  }
}
