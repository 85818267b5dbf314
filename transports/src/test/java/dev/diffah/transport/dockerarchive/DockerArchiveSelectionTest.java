package dev.diffah.transport.dockerarchive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.diffah.error.UsageException;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.transport.dockerarchive.TestArchives.Entry;
import dev.diffah.transport.dockerarchive.TestArchives.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One archive holding v1 (docker.io tag), v2 (a podman localhost tag) and v3 (untagged). */
class DockerArchiveSelectionTest {
  @TempDir static Path tmp;
  static Path archive;
  static List<Digest> configs = new ArrayList<>();

  @BeforeAll
  static void buildMultiImageArchive() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    ArrayNode manifest = Json.MAPPER.createArrayNode();
    String[][] images = {{"v1_s2.tar", "docker.io/library/diffah-fixture:v1"}, {"v2_s2.tar", "localhost/app:v2"}, {"v3_s2.tar", null}};
    for (String[] image : images) {
      Path fixture = Fixtures.fixture(image[0]);
      JsonNode entry = Json.MAPPER.readTree(TestArchives.entry(fixture, "manifest.json")).get(0).deepCopy();
      TarIndex.open(fixture).names().stream()
          .filter(name -> !name.contains("/") && (name.endsWith(".tar") || name.endsWith(".json")) && !name.equals("manifest.json"))
          .forEach(name -> files.put(name, TestArchives.entry(fixture, name)));
      ((com.fasterxml.jackson.databind.node.ObjectNode) entry).putArray("RepoTags");
      if (image[1] != null) {
        ((ArrayNode) entry.get("RepoTags")).add(image[1]);
      }
      configs.add(Digest.sha256(files.get(entry.get("Config").asText())));
      manifest.add(entry);
    }
    List<Entry> entries = new ArrayList<>();
    files.forEach((name, bytes) -> entries.add(new File(name, bytes)));
    entries.add(new File("manifest.json", Json.MAPPER.writeValueAsBytes(manifest)));
    archive = TestArchives.write(tmp.resolve("multi.tar"), entries);
  }

  @Test
  void shortNameMatchesTheDockerHubTag() {
    assertSelects(":diffah-fixture:v1", 0, "docker.io/library/diffah-fixture:v1");
    assertSelects(":docker.io/library/diffah-fixture:v1", 0, "docker.io/library/diffah-fixture:v1");
  }

  @Test
  void shortNameFallsBackToThePodmanLocalhostTag() {
    assertSelects(":app:v2", 1, "localhost/app:v2");
  }

  @Test
  void indexSelectsAnUntaggedImage() {
    try (ImageSource source = TestArchives.open(TestArchives.reference(archive + ":@2"))) {
      assertThat(Manifests.image(source.manifest().block(), "@2").config().digest()).isEqualTo(configs.get(2));
      assertThat(source.imageName()).isEmpty();
    }
  }

  @Test
  void noSelectorWithSeveralImagesIsAUsageErrorListingThem() {
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("holds 3 images")
        .hasMessageContaining("docker.io/library/diffah-fixture:v1 (@0)")
        .hasMessageContaining("localhost/app:v2 (@1)")
        .hasMessageContaining("@2 (untagged)")
        .satisfies(e -> assertThat(((UsageException) e).hint()).contains(":@INDEX"));
  }

  @Test
  void selectorsMatchingNothingAreUsageErrors() {
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive + ":nope:v1")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("has no image tagged nope:v1")
        .hasMessageContaining("localhost/app:v2 (@1)");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive + ":@3")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("has no image @3");
    assertThatThrownBy(() -> TestArchives.open(TestArchives.reference(archive + ":other.io/app:v2")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("has no image tagged other.io/app:v2");
  }

  private static void assertSelects(String selector, int index, String name) {
    try (ImageSource source = TestArchives.open(TestArchives.reference(archive + selector))) {
      assertThat(Manifests.image(source.manifest().block(), selector).config().digest()).isEqualTo(configs.get(index));
      assertThat(source.imageName()).contains(name);
    }
  }
}
