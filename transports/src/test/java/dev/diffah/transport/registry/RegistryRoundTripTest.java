package dev.diffah.transport.registry;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.Diffah;
import dev.diffah.archive.Sidecar;
import dev.diffah.export.ExportRequest;
import dev.diffah.export.ExportResult;
import dev.diffah.importer.ImportRequest;
import dev.diffah.importer.ImportResult;
import dev.diffah.spi.ImageReference;
import dev.diffah.testkit.RegistryServer;
import dev.diffah.testkit.Tools;
import dev.diffah.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import against a real distribution registry filled by skopeo. */
class RegistryRoundTripTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final RegistryOptions PLAIN_HTTP = RegistryOptions.defaults().withTlsVerify(false).withEnvironment(Map.of());

  @TempDir static Path storage;
  static RegistryServer registry;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryServer.start(storage);
    registry.push("oci-archive:" + fixture("v1_oci.tar"), "app:v1");
    registry.push("oci-archive:" + fixture("v2_oci.tar"), "app:v2");
    registry.push("docker-archive:" + fixture("v1_s2.tar"), "app-s2:v1");
    registry.push("docker-archive:" + fixture("v2_s2.tar"), "app-s2:v2");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  private static ImageReference ref(String repoAndTag) {
    return Transports.parse(registry.ref(repoAndTag), PLAIN_HTTP);
  }

  @Test
  void exportsWithTargetAndBaselineOnTheRegistryThenImportsAgainstIt() {
    Path delta = dir.resolve("delta.tar");
    ExportResult exported = Diffah.create().export(ExportRequest.of(ref("app:v2"), ref("app:v1"), delta)).block(TIMEOUT);

    Sidecar sidecar = exported.sidecar();
    assertThat(sidecar.target().manifestDigest().toString()).startsWith("sha256:0488d7cd");
    assertThat(sidecar.target().sourceHint()).isEqualTo(registry.host() + "/app:v2");
    assertThat(sidecar.shippedInDelta()).hasSize(1);
    assertThat(sidecar.requiredFromBaseline()).singleElement().satisfies(b -> assertThat(b.size()).isEqualTo(1_050_220));

    Path out = dir.resolve("v2.tar");
    ImportResult imported =
        Diffah.create()
            .importImage(ImportRequest.of(delta, ref("app:v1"), Transports.parse("oci-archive:" + out)))
            .block(TIMEOUT);
    assertThat(imported.manifestDigest()).isEqualTo(sidecar.target().manifestDigest());
    String inspected = Tools.skopeo("inspect", "--raw", "oci-archive:" + out);
    assertThat(inspected).contains(sidecar.shippedInDelta().get(0).digest().toString());
  }
}
