package dev.diffah.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Json;
import dev.diffah.testkit.DockerSaves;
import dev.diffah.testkit.DockerSaves.Image;
import dev.diffah.testkit.DockerSaves.Layer;
import dev.diffah.testkit.DockerSaves.Tamper;
import dev.diffah.testkit.ImageGenerator;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives and layouts holding several images, some untagged: the reference picks one by name or
 * position, and anything ambiguous or absent is a usage error listing what is there.
 */
class MultiImageSelectionTest {
  private static final Layer A = Layer.plain(21);
  private static final Layer B = Layer.plain(22);
  private static final Layer C = Layer.plain(23);
  private static final Image V1 = new Image(List.of("app:v1"), List.of(A));
  private static final Image V2 = new Image(List.of("app:v2", "registry.example:5000/app:latest"), List.of(A, B));
  private static final Image UNTAGGED = new Image(List.of(), List.of(C));

  @TempDir Path dir;
  private Path baselineManifest;

  @BeforeEach
  void writeBaselineManifest() throws Exception {
    Path single = DockerSaves.skopeoStyle(dir.resolve("baseline.tar"), List.of(new Image(List.of("base:v1"), List.of(A))));
    baselineManifest = Files.writeString(dir.resolve("baseline.json"), Tools.skopeo("inspect", "--raw", "docker-archive:" + single));
  }

  /** Export --dry-run of {@code target}: the run, whatever its exit code. */
  private Cli.Run dryRun(String target) {
    return Cli.run("export", "--dry-run", "--format", "json", "--target", target, "--baseline-manifest", baselineManifest.toString());
  }

  private String chosenDigest(String target) {
    Cli.Run run = dryRun(target);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return run.json().at("/result/target_manifest_digest").asText();
  }

  /** The manifest digest diffah gives an image on its own, in a one-image archive. */
  private String digestAlone(Image image, String name) {
    return chosenDigest("docker-archive:" + DockerSaves.skopeoStyle(dir.resolve(name + "-alone.tar"), List.of(image)));
  }

  private Path multiImageArchive(String shape) {
    Path archive = dir.resolve(shape + ".tar");
    List<Image> images = List.of(V1, V2, UNTAGGED);
    return shape.equals("docker25") ? DockerSaves.docker25(archive, images, Tamper.NONE) : DockerSaves.skopeoStyle(archive, images);
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker25", "skopeo"})
  void dockerArchiveImagesAreChosenByNameTagOrIndex(String shape) {
    String archive = "docker-archive:" + multiImageArchive(shape);
    String v2 = digestAlone(V2, "v2");

    assertThat(chosenDigest(archive + ":app:v2")).isEqualTo(v2);
    assertThat(chosenDigest(archive + ":docker.io/library/app:v2")).isEqualTo(v2);
    assertThat(chosenDigest(archive + ":registry.example:5000/app")).isEqualTo(v2);
    assertThat(chosenDigest(archive + ":@1")).isEqualTo(v2);
    assertThat(chosenDigest(archive + ":app:v1")).isEqualTo(digestAlone(V1, "v1"));
    assertThat(chosenDigest(archive + ":@2")).isEqualTo(digestAlone(UNTAGGED, "untagged"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":app:v9", ":@3"})
  void anAmbiguousOrAbsentDockerArchiveImageIsAUsageErrorListingTheImages(String selector) {
    Path archive = multiImageArchive("docker25");
    Cli.Run run = dryRun("docker-archive:" + archive + selector);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.json().at("/error/message").asText())
        .contains(archive.toString(), "app:v1 (@0)", "app:v2, registry.example:5000/app:latest (@1)", "@2 (untagged)");
    assertThat(run.json().at("/error/hint").asText()).contains(":NAME:TAG", ":@INDEX");
  }

  @Test
  void twoImagesWithTheSameTagAreAmbiguous() {
    Path archive = DockerSaves.skopeoStyle(dir.resolve("same.tar"), List.of(V1, new Image(List.of("app:v1"), List.of(B))));
    Cli.Run run = dryRun("docker-archive:" + archive + ":app:v1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.json().at("/error/message").asText()).contains("several images tagged app:v1", "(@0)", "(@1)");
    assertThat(chosenDigest("docker-archive:" + archive + ":@1")).isEqualTo(digestAlone(new Image(List.of("x:y"), List.of(B)), "b"));
  }

  /** An OCI layout holding v1, v2 and an image without a ref.name annotation. */
  private Path multiImageLayout() throws Exception {
    Path layout = dir.resolve("layout");
    ArrayNode entries = Json.MAPPER.createArrayNode();
    String[] names = {"v1", "v2", null};
    for (int i = 0; i < names.length; i++) {
      ImageGenerator.Layer layer = ImageGenerator.layer(layout, 512, 30 + i, i == 0);
      ImageGenerator.image(layout, List.of(layer), names[i] == null ? "unnamed" : names[i]);
      ObjectNode entry = (ObjectNode) Json.MAPPER.readTree(layout.resolve("index.json").toFile()).at("/manifests/0");
      if (names[i] == null) {
        entry.remove("annotations");
      }
      entries.add(entry);
    }
    ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2);
    index.set("manifests", entries);
    Files.write(layout.resolve("index.json"), Json.MAPPER.writeValueAsBytes(index));
    return layout;
  }

  private static String entryDigest(Path layout, int i) throws Exception {
    return Json.MAPPER.readTree(layout.resolve("index.json").toFile()).at("/manifests/" + i + "/digest").asText();
  }

  @Test
  void ociLayoutAndArchiveImagesAreChosenByRefAndAmbiguityIsAUsageError() throws Exception {
    Path layout = multiImageLayout();
    Path archive = dir.resolve("layout.tar");
    Tools.check("tar", "-C", layout.toString(), "-cf", archive.toString(), ".");

    for (String prefix : List.of("oci:" + layout, "oci-archive:" + archive)) {
      assertThat(chosenDigest(prefix + ":v2")).isEqualTo(entryDigest(layout, 1));
      assertThat(chosenDigest(prefix + ":v1")).isEqualTo(entryDigest(layout, 0));

      for (String selector : List.of("", ":v9")) {
        Cli.Run run = dryRun(prefix + selector);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.json().at("/error/message").asText())
            .contains("v1", "v2", "(unnamed " + entryDigest(layout, 2).substring(0, 19));
      }
    }
  }
}
