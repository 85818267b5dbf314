package dev.diffah.resolve;

import dev.diffah.error.ContentException;
import dev.diffah.io.Blobs;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.Platform;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** Turns what a reference names (an image or a list of them) into one image with its config. */
public final class ImageResolver {
  private static final int MAX_NESTING = 4;

  private ImageResolver() {}

  /**
   * Resolves the image in {@code source} for {@code wanted}. Lists need a platform unless they hold
   * a single image; a plain image manifest is taken as it is.
   */
  public static Mono<ResolvedImage> resolve(ImageSource source, Optional<Platform> wanted) {
    String where = source.reference().toString();
    return source
        .manifest()
        .flatMap(raw -> descend(source, raw, wanted, null, where, 0))
        .flatMap(pick -> withConfig(source, pick, where));
  }

  private record Pick(ImageManifest manifest, Platform platform) {}

  private static Mono<Pick> descend(
      ImageSource source, RawManifest raw, Optional<Platform> wanted, Platform fromList, String where, int depth) {
    if (!raw.isIndex()) {
      return Mono.fromCallable(() -> new Pick(Manifests.image(raw, where), fromList));
    }
    if (depth >= MAX_NESTING) {
      return Mono.error(
          new ContentException(where + ": manifest lists nested deeper than " + MAX_NESTING, "the image index is malformed"));
    }
    return Mono.fromCallable(() -> PlatformSelector.select(Manifests.index(raw, where), wanted, where))
        .flatMap(
            child ->
                source
                    .manifest(child)
                    .flatMap(childRaw -> checkChild(child, childRaw, where))
                    .flatMap(childRaw -> descend(source, childRaw, wanted, child.platform(), where, depth + 1)));
  }

  private static Mono<RawManifest> checkChild(Descriptor child, RawManifest raw, String where) {
    if (!raw.digest().equals(child.digest()) || raw.size() != child.size()) {
      return Mono.error(
          new ContentException(
              where + ": manifest " + child.digest() + " does not match its index entry (got " + raw.digest() + ", " + raw.size() + " bytes)",
              "the image is damaged; copy it again from its origin"));
    }
    return Mono.just(raw);
  }

  private static Mono<ResolvedImage> withConfig(ImageSource source, Pick pick, String where) {
    Descriptor config = pick.manifest().config();
    return Blobs.readSmall(source.blob(config), config, where + " config", Json.MAX_DOCUMENT_BYTES)
        .map(
            bytes -> {
              var parsed = Manifests.config(bytes, where);
              Platform platform = pick.platform() != null ? pick.platform() : parsed.platform();
              return new ResolvedImage(pick.manifest(), bytes, parsed, platform, source.imageName());
            });
  }

}
