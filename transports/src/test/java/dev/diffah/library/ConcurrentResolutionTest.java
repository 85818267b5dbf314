package dev.diffah.library;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.Diffah;
import dev.diffah.error.ContentException;
import dev.diffah.export.ExportRequest;
import dev.diffah.model.Descriptor;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.spi.Transport;
import dev.diffah.transport.Transports;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
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
  private static final class Wrapped implements ImageReference {
    private final ImageReference real;
    private final Function<Mono<RawManifest>, Mono<RawManifest>> manifest;
    final AtomicBoolean closed = new AtomicBoolean();

    Wrapped(String reference, Function<Mono<RawManifest>, Mono<RawManifest>> manifest) {
      this.real = Transports.parse(reference);
      this.manifest = manifest;
    }

    @Override
    public Transport transport() {
      return real.transport();
    }

    @Override
    public Mono<ImageSource> openSource() {
      return real.openSource().map(Source::new);
    }

    @Override
    public Mono<ImageDestination> openDestination(DestinationOptions options) {
      return real.openDestination(options);
    }

    @Override
    public String toString() {
      return real.toString();
    }

    private final class Source implements ImageSource {
      private final ImageSource source;

      Source(ImageSource source) {
        this.source = source;
      }

      @Override
      public ImageReference reference() {
        return Wrapped.this;
      }

      @Override
      public Mono<RawManifest> manifest() {
        return manifest.apply(source.manifest());
      }

      @Override
      public Mono<RawManifest> manifest(Descriptor descriptor) {
        return source.manifest(descriptor);
      }

      @Override
      public Flux<ByteBuffer> blob(Descriptor descriptor) {
        return source.blob(descriptor);
      }

      @Override
      public Mono<Boolean> hasBlob(Descriptor descriptor) {
        return source.hasBlob(descriptor);
      }

      @Override
      public Optional<String> imageName() {
        return source.imageName();
      }

      @Override
      public void close() {
        closed.set(true);
        source.close();
      }
    }
  }
}
