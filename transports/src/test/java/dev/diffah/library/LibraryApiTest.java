package dev.diffah.library;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.Diffah;
import dev.diffah.export.ExportRequest;
import dev.diffah.importer.ImportRequest;
import dev.diffah.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** An application embeds the engine through cold Monos, without the CLI. */
class LibraryApiTest {
  @TempDir Path dir;

  @Test
  void exportAndImportComposeAsMonos() {
    Diffah diffah = Diffah.create();
    Path delta = dir.resolve("delta.tar");
    Path out = dir.resolve("v2");
    var v1 = Transports.parse("oci-archive:" + fixture("v1_oci.tar"));
    var v2 = Transports.parse("oci-archive:" + fixture("v2_oci.tar"));

    var pipeline =
        diffah
            .export(ExportRequest.of(v2, v1, delta))
            .flatMap(exported -> diffah.importImage(ImportRequest.of(delta, v1, Transports.parse("oci:" + out))));
    assertThat(delta).doesNotExist(); // cold: nothing happened yet

    StepVerifier.create(pipeline)
        .assertNext(
            imported -> {
              assertThat(imported.manifestDigest().toString()).startsWith("sha256:0488d7cd");
              assertThat(imported.allReachable()).isTrue();
            })
        .expectComplete()
        .verify(Duration.ofSeconds(60));
    assertThat(Files.isDirectory(out.resolve("blobs/sha256"))).isTrue();
  }

  @Test
  void metricsAndProgressReachTheCallersRegistryAndListener() {
    var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    var finished = new java.util.concurrent.atomic.AtomicLong();
    var progress =
        new dev.diffah.telemetry.ProgressListener() {
          @Override
          public void finished(dev.diffah.model.Descriptor blob) {
            finished.addAndGet(blob.size());
          }
        };
    var request =
        ExportRequest.of(
            Transports.parse("oci-archive:" + fixture("v3_oci.tar")), Transports.parse("oci-archive:" + fixture("v1_oci.tar")), dir.resolve("d.tar"));
    var result = Diffah.create().withMeterRegistry(meters).withProgress(progress).export(request).block(Duration.ofSeconds(60));

    double counted = meters.get(dev.diffah.telemetry.Telemetry.BYTES).tag("source", "target").counter().count();
    assertThat((long) counted).isEqualTo(result.plan().shippedBytes());
    assertThat(finished.get()).isEqualTo(result.plan().shippedBytes());
    assertThat(meters.get(dev.diffah.telemetry.Telemetry.STAGE).tag("stage", "write").timer().count()).isEqualTo(1);
  }
}
