package dev.diffah.library;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.Diffah;
import dev.diffah.error.ContentException;
import dev.diffah.export.ExportRequest;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.ForwardingReference;
import dev.diffah.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Export reads the baseline while the target resolves, yet reports failures as if one came after the other. */
class ConcurrentResolutionTest {
  @TempDir Path dir;

  @Test
  void theBaselineIsReadWhileTheTargetResolves() {
    Sinks.Empty<Void> baselineAsked = Sinks.empty();
    var baseline = new Wrapped("oci-archive:" + fixture("v1_oci.tar"), manifest -> manifest.doOnSubscribe(s -> baselineAsked.tryEmitEmpty()));
    // the target's manifest only comes once the baseline's was asked for: one after the other would hang
    var target = new Wrapped("oci-archive:" + fixture("v2_oci.tar"), manifest -> baselineAsked.asMono().then(manifest));

    StepVerifier.create(Diffah.create().export(ExportRequest.of(target, baseline, dir.resolve("d.tar"))))
        .assertNext(result -> assertThat(result.plan().shipped()).isNotEmpty())
        .expectComplete()
        .verify(Duration.ofSeconds(30));
    assertThat(dir.resolve("d.tar")).exists();
  }

  @Test
  void aFailingTargetWinsOverABaselineThatFailedFirst() {
    var baseline = new Wrapped("oci-archive:" + fixture("v1_oci.tar"), manifest -> Mono.error(new ContentException("baseline broken", "hint")));
    var target =
        new Wrapped(
            "oci-archive:" + fixture("v2_oci.tar"),
            manifest -> Mono.delay(Duration.ofMillis(200)).then(Mono.error(new ContentException("target broken", "hint"))));

    StepVerifier.create(Diffah.create().export(ExportRequest.of(target, baseline, dir.resolve("d.tar"))))
        .expectErrorSatisfies(e -> assertThat(e).hasMessage("target broken"))
        .verify(Duration.ofSeconds(30));
    assertThat(baseline.closed).isTrue();
    assertThat(target.closed).isTrue();
    assertThat(dir.resolve("d.tar")).doesNotExist();
  }

  @Test
  void aFailingBaselineIsReportedOnceTheTargetResolved() {
    var baseline = new Wrapped("oci-archive:" + fixture("v1_oci.tar"), manifest -> Mono.error(new ContentException("baseline broken", "hint")));
    var target = new Wrapped("oci-archive:" + fixture("v2_oci.tar"), manifest -> Mono.delay(Duration.ofMillis(200)).then(manifest));

    StepVerifier.create(Diffah.create().export(ExportRequest.of(target, baseline, dir.resolve("d.tar"))))
        .expectErrorSatisfies(e -> assertThat(e).hasMessage("baseline broken"))
        .verify(Duration.ofSeconds(30));
    assertThat(baseline.closed).isTrue();
    assertThat(dir.resolve("d.tar")).doesNotExist();
  }

  /** A real image whose top manifest passes through {@code manifest} first. */
  private static final class Wrapped extends ForwardingReference {
    private final Function<Mono<RawManifest>, Mono<RawManifest>> manifest;
    final AtomicBoolean closed = new AtomicBoolean();

    Wrapped(String reference, Function<Mono<RawManifest>, Mono<RawManifest>> manifest) {
      super(Transports.parse(reference));
      this.manifest = manifest;
    }

    @Override
    protected ImageSource wrap(ImageSource source) {
      return new Source(source) {
        @Override
        public Mono<RawManifest> manifest() {
          return manifest.apply(source.manifest());
        }

        @Override
        public void close() {
          closed.set(true);
          source.close();
        }
      };
    }
  }
}
