package dev.diffah.cli;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.model.Json;
import dev.diffah.testkit.RegistryServer;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against real registries: export and import with docker:// images, checked by skopeo. */
class RegistryCliTest {
  private static final String USER = "ci";
  private static final String PASSWORD = "pa55";

  @TempDir static Path openStorage;
  @TempDir static Path authStorage;
  static RegistryServer open;
  static RegistryServer guarded;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistries() {
    open = RegistryServer.start(openStorage);
    // OCI first: skopeo's blob-info cache lets later pushes of the same layer content reuse blobs
    // already in the registry, rewriting their manifests; the OCI images must stay as in the archives.
    open.push("oci-archive:" + fixture("v1_oci.tar"), "app-oci:v1");
    open.push("oci-archive:" + fixture("v2_oci.tar"), "app-oci:v2");
    open.push("docker-archive:" + fixture("v1_s2.tar"), "app:v1");
    open.push("docker-archive:" + fixture("v2_s2.tar"), "app:v2");
    guarded = RegistryServer.startWithBasicAuth(authStorage, USER, PASSWORD);
    guarded.push("docker-archive:" + fixture("v2_s2.tar"), "app:v2");
  }

  @AfterAll
  static void stopRegistries() {
    open.close();
    guarded.close();
  }

  private static Cli.Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--tls-verify=false", "--format", "json"));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void exportFromTheRegistryThenImportAgainstIt() throws Exception {
    Path delta = dir.resolve("delta.tar");
    Cli.Run export = run("export", "--target", open.ref("app:v2"), "--baseline", open.ref("app:v1"), "--output", delta.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    JsonNode sidecar = Json.MAPPER.readTree(Tools.check("tar", "-xOf", delta.toString(), "diffah.json"));
    assertThat(sidecar.get("shipped_in_delta")).hasSize(1);
    assertThat(sidecar.get("target").get("source_hint").asText()).isEqualTo(open.host() + "/app:v2");

    Cli.Run dryRun = run("import", "--dry-run", "--delta", delta.toString(), "--baseline", open.ref("app:v1"));
    assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();

    Path out = dir.resolve("v2.tar");
    Cli.Run imported = run("import", "--delta", delta.toString(), "--baseline", open.ref("app:v1"), "--output", out.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    JsonNode rebuilt = Json.MAPPER.readTree(Tools.skopeo("inspect", "docker-archive:" + out));
    JsonNode pushed = Json.MAPPER.readTree(Tools.skopeo("inspect", "--tls-verify=false", "--config", open.ref("app:v2")));
    JsonNode diffIds = pushed.get("rootfs").get("diff_ids");
    assertThat(rebuilt.get("Layers")).isEqualTo(diffIds); // a docker-archive names layers by DiffID
    assertThat(Tools.check("tar", "-xOf", out.toString(), "manifest.json")).contains("\"" + open.host() + "/app:v2\"");
  }

  /** skopeo keeps OCI archives' blobs as they are when pushing (docker-archive layers get recompressed). */
  @Test
  void registryTargetAgainstALocalBaselineShipsTheSameBlobsAsTwoRegistryImages() throws Exception {
    Path fromRegistry = dir.resolve("a.tar");
    Path mixed = dir.resolve("b.tar");
    assertThat(run("export", "--target", open.ref("app-oci:v2"), "--baseline", open.ref("app-oci:v1"), "--output", fromRegistry.toString(), "--jobs", "1").exitCode()).isZero();
    Cli.Run run = run("export", "--target", open.ref("app-oci:v2"), "--baseline", "oci-archive:" + fixture("v1_oci.tar"), "--output", mixed.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(MainJobTest.entryNames(mixed)).isEqualTo(MainJobTest.entryNames(fromRegistry));
    assertThat(Tools.check("tar", "-xOf", mixed.toString(), "manifest.json"))
        .isEqualTo(Tools.check("tar", "-xOf", fromRegistry.toString(), "manifest.json"));
  }

  @Test
  void perImageCredentialsReachAGuardedTarget() {
    Path delta = dir.resolve("delta.tar");
    Cli.Run run =
        run("export", "--target", guarded.ref("app:v2"), "--target-creds", USER + ":" + PASSWORD,
            "--baseline", open.ref("app:v1"), "--output", delta.toString());
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(Files.isRegularFile(delta)).isTrue();
  }

  @Test
  void wrongCredentialsExitThreeWithAClearMessage() {
    Path delta = dir.resolve("delta.tar");
    Cli.Run run =
        Cli.run("export", "--target", guarded.ref("app:v2"), "--creds", USER + ":nope", "--tls-verify=false",
            "--baseline", "docker-archive:" + fixture("v1_s2.tar"), "--output", delta.toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains("denied access to app").contains(guarded.host()).contains("--creds").doesNotContain("at dev.diffah");
    assertThat(delta).doesNotExist();
  }

  @Test
  void aPlainHttpRegistryNeedsTlsVerifyFalse() {
    Cli.Run run = Cli.run("export", "--dry-run", "--target", open.ref("app:v2"), "--baseline", open.ref("app:v1"), "--retry-times", "0");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).contains("TLS").contains("--tls-verify=false");
  }
}
