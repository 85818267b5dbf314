package dev.diffah.library;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.Diffah;
import dev.diffah.export.ExportRequest;
import dev.diffah.importer.ImportRequest;
import dev.diffah.spi.ImageReference;
import dev.diffah.testkit.Fixtures;
import dev.diffah.testkit.LeakCheck;
import dev.diffah.testkit.StallingReference;
import dev.diffah.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Cancelling an export or an import while a blob is half-written leaves nothing behind: no output
 * or temporary file, no descriptor open on the inputs or outputs, no thread still at work.
 */
class CancellationTest {
  @TempDir Path dir;

  @Test
  void cancellingAnExportFromAnOciArchiveLeavesNothingBehind() {
    exportAndCancel(
        new StallingReference(Transports.parse("oci-archive:" + fixture("v3_oci.tar"))),
        Transports.parse("oci-archive:" + fixture("v1_oci.tar")),
        1);
  }

  @Test
  void cancellingAnExportFromADockerArchiveLeavesNothingBehind() {
    exportAndCancel(
        new StallingReference(Transports.parse("docker-archive:" + fixture("v3_s2.tar"))),
        Transports.parse("docker-archive:" + fixture("v1_s2.tar")),
        1);
  }

  /** Both layers of v3 are in flight: the first streams into the archive, the second into a spool file. */
  @Test
  void cancellingAnExportThatSpoolsParallelFetchesLeavesNothingBehind() {
    exportAndCancel(
        StallingReference.overNetwork(Transports.parse("oci-archive:" + fixture("v3_oci.tar"))),
        Transports.parse("oci-archive:" + fixture("v1_oci.tar")),
        2);
  }

  @Test
  void cancellingAnImportIntoADockerArchiveLeavesOnlyTheDelta() {
    importAndCancel("docker-archive:" + dir.resolve("out.tar"));
  }

  @Test
  void cancellingAnImportIntoAnOciDirectoryLeavesOnlyTheDelta() {
    importAndCancel("oci:" + dir.resolve("out"));
  }

  /** The output copies each layer by the kernel and verifies it; cancelled with the copy landed. */
  @ParameterizedTest
  @ValueSource(strings = {"oci", "docker-archive"})
  void cancellingAnImportWhileItVerifiesKernelCopiesLeavesOnlyTheDelta(String format) {
    Path delta = dir.resolve("delta.tar");
    var v1 = Transports.parse("oci-archive:" + fixture("v1_oci.tar"));
    Diffah.create().export(ExportRequest.of(Transports.parse("oci-archive:" + fixture("v2_oci.tar")), v1, delta)).block();
    var output = StallingReference.stallingCopies(Transports.parse(format + ":" + dir.resolve("out")));
    // a tar output holds its file open throughout; a directory output only while a copy or check runs
    runAndCancel(Diffah.create().importImage(ImportRequest.of(delta, v1, output)), output, 1, format.equals("docker-archive"));
    waitUntil(() -> entries().equals(List.of(delta)));
    assertThat(entries()).containsExactly(delta);
  }

  private void exportAndCancel(StallingReference target, ImageReference baseline, int streams) {
    var request = ExportRequest.of(target, baseline, dir.resolve("delta.tar"));
    runAndCancel(Diffah.create().export(request), target, streams);
    waitUntil(() -> entries().isEmpty());
    assertThat(entries()).isEmpty();
  }

  private void importAndCancel(String output) {
    Path delta = dir.resolve("delta.tar");
    var v1 = Transports.parse("oci-archive:" + fixture("v1_oci.tar"));
    Diffah.create().export(ExportRequest.of(Transports.parse("oci-archive:" + fixture("v2_oci.tar")), v1, delta)).block();
    var baseline = new StallingReference(v1);
    runAndCancel(Diffah.create().importImage(ImportRequest.of(delta, baseline, Transports.parse(output))), baseline, 1);
    waitUntil(() -> entries().equals(List.of(delta)));
    assertThat(entries()).containsExactly(delta);
  }

  /** Runs {@code pipeline} until {@code streams} layers stall mid-blob, cancels it, and checks nothing stays open or running. */
  private void runAndCancel(Mono<?> pipeline, StallingReference stalling, int streams) {
    runAndCancel(pipeline, stalling, streams, true);
  }

  private void runAndCancel(Mono<?> pipeline, StallingReference stalling, int streams, boolean holdsFiles) {
    int filesBefore = entries().size();
    LeakCheck leaks = LeakCheck.before(dir, Fixtures.projectRoot().resolve("testdata/fixtures"));
    StepVerifier.create(pipeline)
        .then(() -> awaitStalls(stalling, streams))
        .then(() -> assertThat(entries()).as("temporary output being written").hasSizeGreaterThan(filesBefore))
        .then(() -> assertThat(!holdsFiles || !leaks.openFiles().isEmpty()).as("descriptors the running pipeline holds").isTrue())
        .thenCancel()
        .verify(Duration.ofSeconds(10));
    leaks.assertNothingLeftOpenOrRunning();
  }

  private List<Path> entries() {
    try (var files = Files.list(dir)) {
      return files.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitStalls(StallingReference stalling, int streams) {
    try {
      assertThat(stalling.awaitStalls(streams)).as("pipeline reached %d stalled blob(s)", streams).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Cleanup after cancel runs on another thread: poll the condition, bounded. */
  private static void waitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
