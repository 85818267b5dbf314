package dev.diffah.transport.dockerarchive;

import dev.diffah.error.ContentException;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The second view a Docker 25+ archive carries: it is also an OCI layout, whose index.json names an
 * OCI manifest per image. Both views must describe the same layers, or the archive was damaged or
 * edited and there is no telling which one the loader will believe.
 */
final class OciView {
  private static final String INDEX_JSON = "index.json";
  private static final int MAX_NESTING = 4;

  private OciView() {}

  /**
   * Checks that the OCI manifest whose config is {@code config} lists {@code layers} (digests and
   * sizes, in order). Archives without index.json have only one view and pass.
   */
  static Mono<Void> check(TarIndex tar, String where, Descriptor config, List<Descriptor> layers) {
    if (!tar.contains(INDEX_JSON)) {
      return Mono.empty();
    }
    return tar.readSmall(INDEX_JSON, Json.MAX_DOCUMENT_BYTES)
        .map(bytes -> RawManifest.of(bytes, MediaTypes.OCI_INDEX))
        .flatMapMany(index -> imageManifests(tar, index, where + " " + INDEX_JSON, 0))
        .filter(manifest -> manifest.config().digest().equals(config.digest()))
        .next()
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ContentException(
                        where + ": index.json names no OCI manifest for config " + config.digest()
                            + ", which manifest.json lists",
                        "the archive's two views disagree; re-create it with docker save")))
        .doOnNext(manifest -> compare(manifest, layers, where))
        .then();
  }

  /** Every image manifest reachable from {@code index} whose blob is in the archive. */
  private static Flux<ImageManifest> imageManifests(TarIndex tar, RawManifest index, String where, int depth) {
    if (depth >= MAX_NESTING) {
      return Flux.error(
          new ContentException(where + ": indexes nested deeper than " + MAX_NESTING, "the archive is malformed"));
    }
    return Flux.fromIterable(Manifests.index(index, where).manifests())
        .filter(child -> tar.contains(blobPath(child.digest())))
        .concatMap(
            child ->
                tar.readSmall(blobPath(child.digest()), Json.MAX_DOCUMENT_BYTES)
                    .map(bytes -> RawManifest.of(bytes, child.mediaType()))
                    .flatMapMany(raw -> children(tar, raw, child, where, depth)));
  }

  private static Flux<ImageManifest> children(TarIndex tar, RawManifest raw, Descriptor child, String where, int depth) {
    String what = where + " manifest " + child.digest();
    if (raw.isIndex()) {
      return imageManifests(tar, raw, what, depth + 1);
    }
    return MediaTypes.isImageManifest(raw.mediaType()) ? Flux.just(Manifests.image(raw, what)) : Flux.empty();
  }

  private static void compare(ImageManifest manifest, List<Descriptor> layers, String where) {
    List<Descriptor> oci = manifest.layers();
    for (int i = 0; i < Math.max(oci.size(), layers.size()); i++) {
      if (i >= oci.size() || i >= layers.size() || !sameBlob(oci.get(i), layers.get(i))) {
        throw new ContentException(
            where + ": manifest.json and the OCI manifest " + manifest.digest() + " in index.json disagree at layer " + i
                + " (manifest.json: " + describe(layers, i) + "; OCI manifest: " + describe(oci, i) + ")",
            "the archive is damaged or was edited; re-create it with docker save");
      }
    }
  }

  private static boolean sameBlob(Descriptor a, Descriptor b) {
    return a.digest().equals(b.digest()) && a.size() == b.size();
  }

  private static String describe(List<Descriptor> layers, int i) {
    if (i >= layers.size()) {
      return "no layer, " + layers.size() + " in all";
    }
    return layers.get(i).digest() + ", " + layers.get(i).size() + " bytes";
  }

  private static String blobPath(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }
}
