package dev.diffah.transport.oci;

import static dev.diffah.transport.oci.LayoutTestSupport.imageManifest;
import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static dev.diffah.transport.oci.LayoutTestSupport.verifiedLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.MediaTypes;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Reads every OCI fixture (written by containers-image) as {@code oci-archive:}, in place. */
class OciArchiveFixturesTest {
  @ParameterizedTest
  @FieldSource("dev.diffah.transport.oci.LayoutTestSupport#OCI_FIXTURES")
  void everyFixtureOpensAndItsBlobsVerify(String fixture) {
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture(fixture))) {
      ImageManifest manifest = imageManifest(source);

      assertThat(manifest.raw().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(source.imageName()).get().asString().startsWith("diffah-fixture");
      assertThat(manifest.layers()).isNotEmpty();
      for (Descriptor blob : blobsOf(manifest)) {
        assertThat(source.hasBlob(blob).block()).isTrue();
        assertThat(verifiedLength(source, blob)).isEqualTo(blob.size());
      }
    }
  }

  @Test
  void v1HasTheDocumentedManifestAndLayers() {
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture("v1_oci.tar"))) {
      ImageManifest manifest = imageManifest(source);

      assertThat(manifest.digest().toString()).startsWith("sha256:e1e79e68");
      assertThat(source.imageName()).contains("diffah-fixture:v1");
      assertThat(manifest.layers())
          .extracting(layer -> layer.digest().hex().substring(0, 8), Descriptor::size)
          .containsExactly(
              tuple("f3f445cb", 1_050_220L),
              tuple("43617717", 2_076L));
    }
  }

  @Test
  void v2HasTheDocumentedTargetManifestAndConfig() {
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture("v2_oci.tar"))) {
      ImageManifest manifest = imageManifest(source);

      assertThat(manifest.digest().toString()).startsWith("sha256:0488d7cd");
      assertThat(manifest.raw().size()).isEqualTo(560);
      assertThat(manifest.config().digest().toString()).startsWith("sha256:2835fe56");
      assertThat(manifest.config().size()).isEqualTo(283);
      assertThat(verifiedLength(source, manifest.config())).isEqualTo(283);
    }
  }

  @Test
  void aBlobWithAnotherSizeIsNotReportedPresent() {
    try (ImageSource source = open("oci-archive:" + Fixtures.fixture("v1_oci.tar"))) {
      Descriptor config = imageManifest(source).config();

      assertThat(source.hasBlob(Descriptor.of(config.mediaType(), config.digest(), config.size() + 1)).block())
          .isFalse();
    }
  }

  private static List<Descriptor> blobsOf(ImageManifest manifest) {
    List<Descriptor> all = new ArrayList<>(manifest.distinctLayers());
    all.add(0, manifest.config());
    return all;
  }
}
