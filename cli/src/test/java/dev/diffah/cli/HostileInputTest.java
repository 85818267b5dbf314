package dev.diffah.cli;

import static dev.diffah.cli.MainJobTest.ref;
import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that try to destroy what the user has, or to make diffah hang or run out of memory. */
class HostileInputTest {
  private static final String V2_TOP_LAYER = "sha256:a58c8ca747213430787aff0e7b10fb3832afce641b650220e90009f2b410bc77";

  @TempDir Path dir;

  private Path delta() {
    Path delta = dir.resolve("delta.tar");
    assertThat(Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", delta.toString()).exitCode()).isZero();
    return delta;
  }

  @Test
  void forceNeverReplacesADirectory() throws Exception {
    Path keep = Files.createDirectories(dir.resolve("keep"));
    Files.writeString(keep.resolve("notes.txt"), "mine");
    for (String output : List.of(keep.toString(), ".", "")) {
      Cli.Run run = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", output, "--force");
      assertThat(run.exitCode()).as(output + ": " + run).isEqualTo(2);
    }
    Cli.Run run = Cli.run("import", "--delta", delta().toString(), "--baseline", ref("v1_oci.tar"), "--output", keep.toString(), "--output-format", "oci", "--force");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("existing directory");
    assertThat(keep.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void anOutputThatIsAnInputIsRefusedEvenWithForce() throws Exception {
    Path baseline = Files.copy(fixture("v1_oci.tar"), dir.resolve("v1.tar"));
    byte[] before = Files.readAllBytes(baseline);
    Cli.Run export = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", "oci-archive:" + baseline, "--output", baseline.toString(), "--force");
    assertThat(export.exitCode()).as(export.toString()).isEqualTo(2);
    assertThat(export.err()).contains("is also an input");
    Path delta = delta();
    Cli.Run overDelta = Cli.run("import", "--delta", delta.toString(), "--baseline", "oci-archive:" + baseline, "--output", delta.toString(), "--force");
    assertThat(overDelta.exitCode()).isEqualTo(2);
    Cli.Run overBaseline = Cli.run("import", "--delta", delta.toString(), "--baseline", "oci-archive:" + baseline, "--output", baseline.toString(), "--output-format", "oci-archive", "--force");
    assertThat(overBaseline.exitCode()).isEqualTo(2);
    assertThat(Files.readAllBytes(baseline)).isEqualTo(before);
    assertThat(Cli.run("inspect", delta.toString()).exitCode()).isZero();
  }

  @Test
  void directoriesAndEmptyPathsAreUsageErrors() {
    assertThat(Cli.run("inspect", dir.toString()).exitCode()).isEqualTo(2);
    assertThat(Cli.run("inspect", "").exitCode()).isEqualTo(2);
    Cli.Run archiveDir = Cli.run("export", "--dry-run", "--target", "oci-archive:" + dir, "--baseline", ref("v1_oci.tar"));
    assertThat(archiveDir.exitCode()).isEqualTo(2);
    assertThat(archiveDir.err()).contains("is a directory", "oci:DIR");
  }

  @Test
  void badTagsAndPointlessConversionsAreUsageErrors() {
    Path delta = delta();
    for (String tag : List.of("a:b:c", "Bad Tag!!", "app:" + "x".repeat(200))) {
      Cli.Run run = Cli.run("import", "--delta", delta.toString(), "--baseline", ref("v1_oci.tar"), "--output", dir.resolve("o.tar").toString(), "--tag", tag);
      assertThat(run.exitCode()).as(tag).isEqualTo(2);
    }
    Cli.Run convert = Cli.run("import", "--delta", delta.toString(), "--baseline", ref("v1_oci.tar"), "--output", dir.resolve("o.tar").toString(), "--convert-oci");
    assertThat(convert.exitCode()).isEqualTo(2);
    assertThat(convert.err()).contains("--convert-oci");
    assertThat(dir.resolve("o.tar")).doesNotExist();
  }

  @Test
  void aSidecarThatDisagreesWithItsManifestIsAContentError() throws Exception {
    Path delta = delta();
    Path altered = dir.resolve("altered.tar");
    Tamper.rewriteSidecar(delta, altered, sidecar -> sidecar.replace("\"required_from_baseline\" : [ {", "\"required_from_baseline\" : [ ], \"x\" : [ {"));
    Cli.Run run = Cli.run("import", "--dry-run", "--delta", altered.toString(), "--baseline", ref("unrelated_oci.tar"));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("does not list layer sha256:f3f445cb");
  }

  /** A PAX header claiming a gigabyte of records: refused at once instead of read into memory. */
  @Test
  void hugeTarHeadersAreRefusedQuickly() throws Exception {
    Path hostile = dir.resolve("hostile.tar");
    long claimed = 1_000_000_000L;
    try (RandomAccessFile file = new RandomAccessFile(hostile.toFile(), "rw")) {
      byte[] header = new byte[512];
      TarArchiveEntry pax = new TarArchiveEntry("./PaxHeaders/x", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
      pax.setSize(claimed);
      pax.writeEntryHeader(header);
      file.write(header);
      file.write(("" + claimed + " path=").getBytes(StandardCharsets.US_ASCII));
      file.setLength(512 + claimed + 512 + 1024); // sparse: no disk used
    }
    List<String> smallHeap = List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError");
    Cli.Run inspect = Cli.fork(smallHeap, java.util.Map.of(), "inspect", hostile.toString());
    assertThat(inspect.exitCode()).as(inspect.toString()).isEqualTo(4);
    Cli.Run export = Cli.fork(smallHeap, java.util.Map.of(), "export", "--dry-run", "--target", "docker-archive:" + hostile, "--baseline", ref("v1_oci.tar"));
    assertThat(export.exitCode()).as(export.toString()).isEqualTo(4);
    assertThat(export.err()).contains("exceed");
  }

  @Test
  void aLayoutBlobLinkedOutsideTheLayoutIsNotRead() throws Exception {
    Path layout = dir.resolve("v2-layout");
    dev.diffah.testkit.Tools.skopeo("copy", ref("v2_oci.tar"), "oci:" + layout + ":v2");
    Path secret = Files.writeString(dir.resolve("secret.txt"), "not yours");
    try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        if (Files.size(blob) == 2076) {
          Files.delete(blob);
          Files.createSymbolicLink(blob, secret);
        }
      }
    }
    Cli.Run run = Cli.run("export", "--target", "oci:" + layout + ":v2", "--baseline", ref("v1_oci.tar"), "--output", dir.resolve("d.tar").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("leaves the image directory");
    assertThat(dir.resolve("d.tar")).doesNotExist();
  }

  @Test
  void aBaselineThatListsABlobItLacksFailsExport() throws Exception {
    Path layout = dir.resolve("v1-layout");
    dev.diffah.testkit.Tools.skopeo("copy", ref("v1_oci.tar"), "oci:" + layout + ":v1");
    Files.delete(layout.resolve("blobs/sha256").resolve(MainJobTest.BASE_LAYER.substring(7)));
    Cli.Run run = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", "oci:" + layout + ":v1", "--output", dir.resolve("d.tar").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("does not hold", MainJobTest.BASE_LAYER);
    assertThat(dir.resolve("d.tar")).doesNotExist();
  }

  /** The layer is copied into the delta by the kernel; reading the copy back still catches it. */
  @Test
  void aFlippedByteInAShippedTargetLayerFailsExportAndWritesNothing() throws Exception {
    Path target = Files.copy(fixture("v2_oci.tar"), dir.resolve("v2.tar"));
    long layerData;
    try (var tar = new org.apache.commons.compress.archivers.tar.TarFile(target)) {
      layerData =
          tar.getEntries().stream()
              .filter(e -> e.getName().endsWith(V2_TOP_LAYER.substring(7)))
              .findFirst()
              .orElseThrow()
              .getDataOffset();
    }
    try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
      file.seek(layerData + 10);
      int b = file.read();
      file.seek(layerData + 10);
      file.write(b ^ 1);
    }
    Cli.Run run = Cli.run("export", "--target", "oci-archive:" + target, "--baseline", ref("v1_oci.tar"), "--output", dir.resolve("d.tar").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains(V2_TOP_LAYER).doesNotContain("Exception");
    assertThat(Files.list(dir)).containsExactly(target);
  }

  @Test
  void pipesAreNeitherReplacedNorReadAsArchives() throws Exception {
    Path fifo = dir.resolve("pipe");
    dev.diffah.testkit.Tools.check("mkfifo", fifo.toString());
    Cli.Run asOutput = Cli.run("export", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--output", fifo.toString(), "--force");
    assertThat(asOutput.exitCode()).as(asOutput.toString()).isEqualTo(2);
    assertThat(asOutput.err()).contains("not a regular file");
    assertThat(Files.isRegularFile(fifo)).isFalse();
    Cli.Run asDelta = Cli.run("inspect", fifo.toString());
    assertThat(asDelta.exitCode()).as(asDelta.toString()).isEqualTo(2);
    Cli.Run asArchive = Cli.run("export", "--dry-run", "--target", "oci-archive:" + fifo, "--baseline", ref("v1_oci.tar"));
    assertThat(asArchive.exitCode()).as(asArchive.toString()).isEqualTo(2);
  }

  @Test
  void aPlatformThatASingleImageIsNotForIsAUsageError() {
    Cli.Run run = Cli.run("export", "--dry-run", "--target", ref("v2_oci.tar"), "--baseline", ref("v1_oci.tar"), "--platform", "linux/arm64");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("single image for linux/amd64");
  }

  @Test
  void aSidecarPlatformThatContradictsTheConfigIsAContentError() throws Exception {
    Path altered = dir.resolve("altered.tar");
    Tamper.rewriteSidecar(delta(), altered, sidecar -> sidecar.replace("\"platform\" : \"linux/amd64\"", "\"platform\" : \"windows/arm64\""));
    Cli.Run run = Cli.run("import", "--delta", altered.toString(), "--baseline", ref("v1_oci.tar"), "--output", dir.resolve("o.tar").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
    assertThat(run.err()).contains("windows/arm64", "linux/amd64");
    assertThat(dir.resolve("o.tar")).doesNotExist();
  }
}
