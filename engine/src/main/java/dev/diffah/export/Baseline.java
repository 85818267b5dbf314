package dev.diffah.export;

import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import dev.diffah.error.UsageException;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.Platform;
import dev.diffah.model.RawManifest;
import dev.diffah.plan.DeltaPlan;
import dev.diffah.resolve.ImageResolver;
import dev.diffah.resolve.ResolvedImage;
import dev.diffah.spi.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.scheduler.Schedulers;

/**
 * What export knows of the baseline: its manifest, its layers' DiffIDs (empty for a kept manifest
 * file, which comes without its config), and for images the open source.
 */
record Baseline(ImageManifest manifest, List<Digest> diffIds, String hint, Optional<ImageSource> source) {

  /** Presence probes in flight at once: cheap locally, round trips (HEAD) against a registry. */
  static final int PROBES_AT_ONCE = 8;

  DeltaPlan.BaselineLayers layers() {
    return DeltaPlan.BaselineLayers.of(manifest.layers(), diffIds);
  }

  /** Every blob the delta will require must be readable in the baseline image, not only listed. */
  Mono<Void> checkReadable(List<DeltaPlan.PlannedLayer> required) {
    if (source.isEmpty()) {
      return Mono.empty();
    }
    ImageSource src = source.get();
    return Flux.fromIterable(required)
        .map(DeltaPlan.PlannedLayer::baselineBlob)
        .flatMapSequential(d -> src.hasBlob(d).filter(present -> !present).map(absent -> d.digest()), PROBES_AT_ONCE)
        .collectList()
        .flatMap(
            missing ->
                missing.isEmpty()
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new ContentException(
                            "baseline " + src.reference() + " lists but does not hold blob(s) " + missing,
                            "the baseline image is incomplete; use a complete copy of it")));
  }

  /**
   * Runs {@code body} with the resolved {@code target} and the baseline of {@code request}, closing
   * any source it opened. A baseline image is read while the target resolves (against a registry,
   * both are round trips); only a baseline list waits for the target, whose platform picks its
   * entry. A failing target wins over a failing baseline, as if they were read one after the other.
   */
  static <T> Mono<T> with(
      ExportRequest request, Mono<ResolvedImage> target, BiFunction<ResolvedImage, Baseline, Mono<T>> body) {
    if (request.baselineManifest().isPresent()) {
      Path file = request.baselineManifest().get();
      return target.flatMap(image -> fromManifestFile(file).flatMap(baseline -> body.apply(image, baseline)));
    }
    return Mono.usingWhen(
        request.baseline().orElseThrow().openSource().materialize(),
        opened ->
            Mono.zip(target, ahead(opened, request.platform()).materialize())
                .flatMap(
                    both -> {
                      ResolvedImage image = both.getT1();
                      return Mono.just(both.getT2())
                          .<Ahead>dematerialize()
                          .flatMap(ahead -> ahead.finish(request.platform().or(() -> Optional.ofNullable(image.platform()))))
                          .flatMap(baseline -> body.apply(image, baseline));
                    }),
        Baseline::close,
        (opened, e) -> close(opened),
        Baseline::close);
  }

  /**
   * What can be read of the baseline before the target's platform is known: all of an image, or a
   * list's manifest ({@code image} null) when no platform was asked for.
   */
  private record Ahead(ImageSource source, RawManifest top, ResolvedImage image) {
    Mono<Baseline> finish(Optional<Platform> platform) {
      Mono<ResolvedImage> resolved = image != null ? Mono.just(image) : ImageResolver.resolve(source, top, platform, false);
      return resolved.map(
          img -> new Baseline(img.manifest(), img.config().diffIds(), img.imageName().orElse(source.reference().toString()), Optional.of(source)));
    }
  }

  private static Mono<Ahead> ahead(Signal<ImageSource> opened, Optional<Platform> asked) {
    if (opened.hasError()) {
      return Mono.error(opened.getThrowable());
    }
    ImageSource src = opened.get();
    return src.manifest()
        .flatMap(
            top ->
                top.isIndex() && asked.isEmpty()
                    ? Mono.just(new Ahead(src, top, null))
                    : ImageResolver.resolve(src, top, asked, false).map(img -> new Ahead(src, top, img)));
  }

  private static Mono<Void> close(Signal<ImageSource> opened) {
    return opened.hasValue() ? Mono.fromRunnable(opened.get()::close) : Mono.empty();
  }

  private static Mono<Baseline> fromManifestFile(Path file) {
    return Mono.fromCallable(() -> read(file)).subscribeOn(Schedulers.boundedElastic());
  }

  private static Baseline read(Path file) {
    try {
      if (Files.size(file) > Json.MAX_DOCUMENT_BYTES) {
        throw new ContentException(file + " is too large to be a manifest", "pass the baseline image's manifest.json");
      }
      RawManifest raw;
      try {
        raw = RawManifest.of(Files.readAllBytes(file), null);
      } catch (ContentException e) {
        throw new ContentException("--baseline-manifest " + file + ": " + e.getMessage(), "pass the baseline image's manifest JSON (skopeo inspect --raw)", e);
      }
      if (raw.isIndex()) {
        throw new UsageException(
            "--baseline-manifest " + file + " is a manifest list",
            "pass the manifest of the baseline image for the platform you export");
      }
      return new Baseline(Manifests.image(raw, file.toString()), List.of(), file.toString(), Optional.empty());
    } catch (IOException e) {
      throw IoErrors.wrap("reading --baseline-manifest", e);
    }
  }
}
