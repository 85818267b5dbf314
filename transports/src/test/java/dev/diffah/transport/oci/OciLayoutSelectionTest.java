package dev.diffah.transport.oci;

import static dev.diffah.transport.oci.LayoutTestSupport.imageManifest;
import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static dev.diffah.transport.oci.LayoutTestSupport.verifiedLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.UsageException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.Tools;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Selecting the image of an OCI layout by its ref.name, on layouts skopeo wrote. */
class OciLayoutSelectionTest {
  private static final String V1 = "sha256:e1e79e6858384e39151817d4f88818346c441f69d4852e41f5437b347128726a";
  private static final String V2 = "sha256:0488d7cdd5e6c730cf45521ce6647fe48f968bd470744f0b9835146f36f1febb";

  @TempDir Path tmp;

  @Test
  void readsALayoutSkopeoWroteWithAndWithoutTheRef() {
    Path layout = tmp.resolve("layout");
    skopeoCopy("v1_oci.tar", "oci:" + layout + ":v1");

    for (String reference : new String[] {"oci:" + layout + ":v1", "oci:" + layout}) {
      try (ImageSource source = open(reference)) {
        ImageManifest manifest = imageManifest(source);
        assertThat(manifest.digest().toString()).isEqualTo(V1);
        assertThat(source.imageName()).contains("v1");
        for (Descriptor layer : manifest.layers()) {
          assertThat(verifiedLength(source, layer)).isEqualTo(layer.size());
        }
      }
    }
  }

  @Test
  void aLayoutSkopeoWroteWithoutARefHasNoImageName() {
    Path layout = tmp.resolve("layout");
    skopeoCopy("v1_oci.tar", "oci:" + layout);

    try (ImageSource source = open("oci:" + layout)) {
      assertThat(source.manifest().block().digest().toString()).isEqualTo(V1);
      assertThat(source.imageName()).isEmpty();
    }
  }

  @Test
  void twoTagsAreSelectedByRefAndAmbiguousWithout() {
    Path layout = tmp.resolve("layout");
    skopeoCopy("v1_oci.tar", "oci:" + layout + ":v1");
    skopeoCopy("v2_oci.tar", "oci:" + layout + ":v2");

    assertThat(manifestDigest("oci:" + layout + ":v1")).isEqualTo(V1);
    assertThat(manifestDigest("oci:" + layout + ":v2")).isEqualTo(V2);
    assertThatThrownBy(() -> open("oci:" + layout))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("2 images: v1, v2");
    assertThatThrownBy(() -> open("oci:" + layout + ":v9"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("no image named 'v9'")
        .hasMessageContaining("v1, v2");
  }

  @Test
  void aTagSelectsAFullNameUnlessSeveralShareIt() {
    Path layout = tmp.resolve("layout");
    skopeoCopy("v1_oci.tar", "oci:" + layout + ":a/app:v1");
    skopeoCopy("v2_oci.tar", "oci:" + layout + ":b/app:v1");

    assertThat(manifestDigest("oci:" + layout + ":a/app:v1")).isEqualTo(V1);
    assertThat(manifestDigest("oci:" + layout + ":b/app:v1")).isEqualTo(V2);
    assertThatThrownBy(() -> open("oci:" + layout + ":v1"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("names several images")
        .hasMessageContaining("a/app:v1, b/app:v1");
  }

  @Test
  void fixtureImagesAreSelectedByFullNameOrTag() {
    String archive = "oci-archive:" + Fixtures.fixture("v1_oci.tar");

    assertThat(manifestDigest(archive + ":diffah-fixture:v1")).isEqualTo(V1);
    assertThat(manifestDigest(archive + ":v1")).isEqualTo(V1);
    assertThatThrownBy(() -> open(archive + ":diffah-fixture:v2"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("diffah-fixture:v1");
  }

  private static String manifestDigest(String reference) {
    try (ImageSource source = open(reference)) {
      return source.manifest().block().digest().toString();
    }
  }

  private static void skopeoCopy(String fixture, String destination) {
    Tools.skopeo("copy", "-q", "oci-archive:" + Fixtures.fixture(fixture), destination);
  }
}
