package dev.diffah.transport.dockerarchive;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.ContentException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Digest;
import dev.diffah.testkit.Fixtures;
import dev.diffah.transport.dockerarchive.TestArchives.Entry;
import dev.diffah.transport.dockerarchive.TestArchives.File;
import dev.diffah.transport.dockerarchive.TestArchives.Symlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveHostileTest {
  @TempDir Path tmp;

  @Test
  void layerPathClimbingOutOfTheArchiveIsRejected() throws IOException {
    Path archive = archiveWith(List.of(), "[\"../../etc/passwd\"]");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("../../etc/passwd")
        .hasMessageContaining("leaves the archive");
  }

  @Test
  void configPathClimbingOutOfTheArchiveIsRejected() throws IOException {
    Path archive =
        TestArchives.write(
            tmp.resolve("config.tar"), List.of(File.of("manifest.json", "[{\"Config\":\"../etc/passwd\",\"Layers\":[]}]")));
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("leaves the archive");
  }

  @Test
  void absoluteSymlinkLayerIsRejected() throws IOException {
    Path archive = archiveWith(List.of(new Symlink("dddd/layer.tar", "/etc/passwd")), "[\"dddd/layer.tar\"]");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("points outside the archive");
  }

  @Test
  void relativeSymlinkClimbingOutIsRejected() throws IOException {
    Path archive = archiveWith(List.of(new Symlink("dddd/layer.tar", "../../../etc/passwd")), "[\"dddd/layer.tar\"]");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("leaves the archive");
  }

  @Test
  void missingLayerFileIsNamed() throws IOException {
    Path archive = archiveWith(List.of(), "[\"eeee/layer.tar\"]");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("eeee/layer.tar")
        .hasMessageContaining("not a file in the archive");
  }

  @Test
  void ociArchiveWithoutManifestJsonSaysWhatItIsNot() {
    Path oci = Fixtures.fixture("v1_oci.tar");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(oci)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining(oci + " has no entry manifest.json")
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((ContentException) e).hint()).contains("oci-archive:"));
  }

  @Test
  void malformedManifestJsonIsAContentError() throws IOException {
    Path archive = TestArchives.write(tmp.resolve("bad.tar"), List.of(File.of("manifest.json", "{\"Config\":")));
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("manifest.json is not a JSON array of images");
  }

  @Test
  void fileThatIsNotATarIsAContentError() throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.tar"), "this is not a tar archive, just some text\n".repeat(40));
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(text)))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining(text + " is not a readable tar archive");
  }

  @Test
  void missingFileIsAUsageError() {
    Path absent = tmp.resolve("absent.tar");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(absent)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(absent.toString());
  }

  /**
   * A one-image archive with the given extra entries and {@code layers} JSON (one layer), and a
   * valid config with one DiffID, so the layer path is what fails.
   */
  private Path archiveWith(List<Entry> extra, String layers) throws IOException {
    List<Entry> entries = new ArrayList<>(extra);
    entries.add(new File("c.json", DockerArchiveSourceTest.config(Digest.sha256(new byte[0]))));
    entries.add(File.of("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"x:y\"],\"Layers\":" + layers + "}]"));
    return TestArchives.write(tmp.resolve("hostile.tar"), entries);
  }
}
