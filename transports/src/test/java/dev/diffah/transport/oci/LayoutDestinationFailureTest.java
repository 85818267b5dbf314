package dev.diffah.transport.oci;

import static dev.diffah.transport.oci.LayoutTestSupport.imageManifest;
import static dev.diffah.transport.oci.LayoutTestSupport.listing;
import static dev.diffah.transport.oci.LayoutTestSupport.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.EnvironmentException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.transport.Transports;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/** What the writing transports leave behind when a write is abandoned, refused or broken. */
class LayoutDestinationFailureTest {
  @TempDir Path tmp;
  private ImageSource source;
  private ImageManifest manifest;

  @BeforeEach
  void openFixture() {
    source = open("oci-archive:" + Fixtures.fixture("v1_oci.tar"));
    manifest = imageManifest(source);
  }

  @AfterEach
  void closeFixture() {
    source.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive", "dir"})
  void closingWithoutCommitLeavesNothing(String transport) {
    try (ImageDestination out = openDestination(transport, false)) {
      out.putBlob(manifest.config(), source.blob(manifest.config())).block();
      out.putManifest(manifest.raw()).block();
      assertThat(listing(tmp)).hasSize(1);
    }

    assertThat(listing(tmp)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive", "dir"})
  void anExistingTargetIsRefusedAtOpenUnlessReplacing(String transport) throws IOException {
    Path target = Files.writeString(tmp.resolve("out"), "keep me");

    assertThatThrownBy(() -> openDestination(transport, false))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(target.toString())
        .hasMessageContaining("already exists");
    assertThat(listing(tmp)).containsExactly("out");
    assertThat(Files.readString(target)).isEqualTo("keep me");

    try (ImageDestination out = openDestination(transport, true)) {
      writeAll(out);
      out.commit().block();
    }
    try (ImageSource reread = open(transport + ":" + target)) {
      assertThat(reread.manifest().block()).isEqualTo(manifest.raw());
    }
    assertThat(listing(tmp)).containsExactly("out");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive", "dir"})
  void aBlobStreamThatFailsMakesCommitImpossible(String transport) {
    Descriptor base = manifest.layers().get(0);
    Flux<ByteBuffer> broken =
        Flux.concat(
            source.blob(base).take(1),
            Flux.error(new EnvironmentException("connection reset", "retry", null)));

    try (ImageDestination out = openDestination(transport, false)) {
      out.putBlob(manifest.config(), source.blob(manifest.config())).block();
      assertThatThrownBy(() -> out.putBlob(base, broken).block()).hasMessageContaining("connection reset");

      assertThatThrownBy(() -> out.putBlob(manifest.layers().get(1), source.blob(manifest.layers().get(1))).block())
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> out.putManifest(manifest.raw()).block())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("failed write");
      assertThatThrownBy(() -> out.commit().block()).isInstanceOf(IllegalStateException.class);
    }

    assertThat(listing(tmp)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci", "oci-archive", "dir"})
  void commitBeforeTheManifestIsRefused(String transport) {
    try (ImageDestination out = openDestination(transport, false)) {
      out.putBlob(manifest.config(), source.blob(manifest.config())).block();

      assertThatThrownBy(() -> out.commit().block())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("before the manifest");
    }

    assertThat(listing(tmp)).isEmpty();
  }

  private ImageDestination openDestination(String transport, boolean replace) {
    return Transports.parse(transport + ":" + tmp.resolve("out"))
        .openDestination(new DestinationOptions(Optional.of("diffah-fixture:v1"), replace))
        .block();
  }

  private void writeAll(ImageDestination out) {
    List<Descriptor> blobs = new ArrayList<>(manifest.distinctLayers());
    blobs.add(0, manifest.config());
    blobs.forEach(blob -> out.putBlob(blob, source.blob(blob)).block());
    out.putManifest(manifest.raw()).block();
  }
}
