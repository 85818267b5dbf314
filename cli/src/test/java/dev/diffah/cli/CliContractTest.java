package dev.diffah.cli;

import static dev.diffah.cli.MainJobTest.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, usage errors, JSON errors, overwrite protection and warnings. */
class CliContractTest {
  @TempDir Path dir;

  @Test
  void helpShowsEveryCommandAndEachCommandHasAnExample() {
    Cli.Run help = Cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("export", "import", "inspect", "version", "docker-archive:PATH");
    for (String command : new String[] {"export", "import", "inspect"}) {
      Cli.Run run = Cli.run(command, "--help");
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("Example:", "diffah " + command);
    }
    assertThat(Cli.run("version").out()).startsWith("diffah ");
  }

  @Test
  void aBarePathIsAUsageErrorWithAHint() {
    Cli.Run run = Cli.run("export", "--target", "v2.tar", "--baseline", ref("v1_oci.tar"), "--output", dir.resolve("d.tar").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'v2.tar' does not start with a known transport", "oci-archive:v2.tar");
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void unknownFlagsAndMissingOptionsExitTwo() {
    assertThat(Cli.run("export", "--bogus").exitCode()).isEqualTo(2);
    assertThat(Cli.run("import", "--delta", "x").exitCode()).isEqualTo(2);
    Cli.Run both =
        Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--baseline-manifest", "m.json", "--output", "x");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("exclude each other");
    Cli.Run format = Cli.run("import", "--delta", "d", "--baseline", ref("v1_oci.tar"), "--output", "o", "--output-format", "zip");
    assertThat(format.exitCode()).isEqualTo(2);
    assertThat(format.err()).contains("unknown --output-format 'zip'");
  }

  @Test
  void errorsRenderAsAJsonEnvelopeOnRequest() {
    Cli.Run run = Cli.run("inspect", "--format", "json", dir.resolve("missing.tar").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode json = run.json();
    assertThat(json.get("schema_version").asInt()).isEqualTo(1);
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.at("/error/exit_code").asInt()).isEqualTo(2);
    assertThat(json.at("/error/message").asText()).contains("missing.tar");
  }

  @Test
  void notADeltaIsAContentError() throws Exception {
    Cli.Run run = Cli.run("inspect", MainJobTest.ref("v1_oci.tar").substring("oci-archive:".length()));
    assertThat(run.exitCode()).isEqualTo(4);
    assertThat(run.err()).contains("is not a diffah delta archive", "first entry is 'blobs/'");
    Path junk = Files.writeString(dir.resolve("junk.tar"), "hello");
    assertThat(Cli.run("inspect", junk.toString()).exitCode()).isEqualTo(4);
  }

  @Test
  void anExistingOutputIsKeptUnlessForced() throws Exception {
    Path delta = Files.writeString(dir.resolve("delta.tar"), "precious");
    Cli.Run run = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("already exists", "--force");
    assertThat(Files.readString(delta)).isEqualTo("precious");
    Cli.Run forced = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString(), "--force");
    assertThat(forced.exitCode()).as(forced.toString()).isZero();
    assertThat(Cli.run("inspect", delta.toString()).exitCode()).isZero();
  }

  @Test
  void aDifferentBaselineManifestHoldingEveryBlobImportsWithAWarning() throws Exception {
    Path delta = dir.resolve("delta.tar");
    assertThat(Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString()).exitCode()).isZero();
    Path out = dir.resolve("v2");
    Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", ref("v1_s2.tar"), "--output", out.toString(), "--output-format", "oci");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("warning: baseline manifest is", "holds every required blob");
    assertThat(Tools.check("umoci", "ls", "--layout", out.toString())).contains("diffah-fixture:v2");
  }

  @Test
  void verboseLogsGoToStderrAndQuietSilencesWarnings() {
    Path delta = dir.resolve("delta.tar");
    Cli.Run run = Cli.run("export", "-v", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).contains("diffah: info: target sha256:0488d7cd", "1 layer(s) to ship (2076 bytes)");
    assertThat(run.json().get("ok").asBoolean()).isTrue(); // stdout holds only the result

    Path out = dir.resolve("v2");
    Cli.Run quiet = Cli.run("import", "-q", "--delta", delta.toString(), "--baseline", ref("v1_s2.tar"), "--output", out.toString(), "--output-format", "dir");
    assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
    assertThat(quiet.err()).isEmpty();
    assertThat(Cli.run("inspect", "--log-level", "loud", delta.toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void statsReportBytesPerSourceAndTimePerStage() {
    Path delta = dir.resolve("delta.tar");
    Cli.Run export = Cli.run("export", "--stats", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(export.out()).contains("stats:", "read from target: 2076 bytes in 1 blob(s)", "write");

    Cli.Run run =
        Cli.run("import", "--stats", "--format", "json", "--progress", "lines", "--delta", delta.toString(), "--baseline", ref("v1_oci.tar"),
            "--output", dir.resolve("v2").toString(), "--output-format", "dir");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode stats = run.json().at("/result/stats");
    assertThat(stats.at("/bytes_read/baseline").asLong()).isEqualTo(1_050_220L);
    assertThat(stats.at("/blobs_read/delta").asLong()).isEqualTo(2); // the config and the new layer
    assertThat(stats.at("/stage_millis").has("write")).isTrue();
  }
}
