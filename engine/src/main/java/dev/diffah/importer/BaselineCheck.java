package dev.diffah.importer;

import dev.diffah.archive.DeltaArchive;
import dev.diffah.archive.Sidecar;
import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Manifests;
import dev.diffah.model.Platform;
import dev.diffah.plan.DeltaPlan.BaselineLayers;
import dev.diffah.resolve.ResolvedImage;
import dev.diffah.spi.ImageSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The checks import makes before writing anything: that the delta's recorded platform is its
 * target's, and which required blobs the baseline holds, and how.
 */
final class BaselineCheck {
  /** Presence probes in flight at once: cheap locally, round trips (HEAD) against a registry. */
  private static final int PROBES_AT_ONCE = 8;

  private BaselineCheck() {}

  /** The sidecar's platform picks the baseline image, so it must be the one the config declares. */
  static Mono<Void> checkPlatform(DeltaArchive delta) {
    return delta
        .configBytes()
        .map(bytes -> Manifests.config(bytes, delta.file() + " config"))
        .flatMap(
            config -> {
              Optional<Platform> recorded = platformOf(delta.sidecar());
              Platform declared = config.platform();
              if (recorded.isPresent() && declared != null && !recorded.get().isCompatibleWith(declared) && !declared.isCompatibleWith(recorded.get())) {
                return Mono.error(
                    new ContentException(
                        delta.file() + ": diffah.json names platform " + recorded.get() + " but the target config is for " + declared,
                        "the delta was altered; export it again"));
              }
              return Mono.empty();
            });
  }

  /** The sidecar's platform picks the instance when the baseline is a list. */
  static Optional<Platform> platformOf(Sidecar sidecar) {
    try {
      return Optional.of(Platform.parse(sidecar.platform()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static Mono<List<BlobReachability>> reachability(Sidecar sidecar, ImageSource baseline, ResolvedImage image) {
    BaselineLayers layers = BaselineLayers.of(image.manifest().layers(), image.config().diffIds());
    return Flux.fromIterable(sidecar.requiredFromBaseline())
        .flatMapSequential(blob -> reach(blob, baseline, layers), PROBES_AT_ONCE)
        .collectList();
  }

  /**
   * A required blob is reachable when the baseline holds it (a probe: a file lookup, or a HEAD
   * request to a registry; being listed in the manifest is not enough), or holds its content in
   * another compression (same DiffID).
   */
  private static Mono<BlobReachability> reach(Sidecar.Blob blob, ImageSource baseline, BaselineLayers layers) {
    String how = layers.byDigest().containsKey(blob.digest()) ? "manifest" : "probe";
    return baseline
        .hasBlob(blob.descriptor())
        .flatMap(
            present -> {
              if (present) {
                return Mono.just(new BlobReachability(blob.digest(), blob.size(), how, null));
              }
              Descriptor sameContent = blob.diffId() == null ? null : layers.find(blob.descriptor(), blob.diffId());
              if (sameContent == null || sameContent.digest().equals(blob.digest())) {
                return Mono.just(new BlobReachability(blob.digest(), blob.size(), BlobReachability.MISSING, null));
              }
              return baseline
                  .hasBlob(sameContent)
                  .map(
                      held ->
                          held
                              ? new BlobReachability(blob.digest(), blob.size(), BlobReachability.BY_DIFF_ID, sameContent)
                              : new BlobReachability(blob.digest(), blob.size(), BlobReachability.MISSING, null));
            });
  }

  static List<String> warnings(Sidecar sidecar, ResolvedImage image, List<BlobReachability> report) {
    List<String> warnings = new ArrayList<>();
    Digest recorded = sidecar.baseline().manifestDigest();
    boolean complete = report.stream().allMatch(BlobReachability::reachable);
    if (!recorded.equals(image.manifest().digest())) {
      warnings.add(
          "baseline manifest is " + image.manifest().digest() + ", not " + recorded + " recorded at export"
              + (complete ? "; continuing because it holds every required blob" : ""));
    }
    long substituted = report.stream().filter(BlobReachability::substituted).count();
    if (substituted > 0) {
      warnings.add(
          substituted + " required layer(s) come from the baseline in another compression (same DiffID); "
              + "the rebuilt image carries them as the baseline has them");
    }
    return warnings;
  }
}
