package dev.diffah.resolve;

import dev.diffah.error.ContentException;
import dev.diffah.error.NoSuchPlatformException;
import dev.diffah.io.Blobs;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.Platform;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import java.util.Optional;
import reactor.core.publisher.Flux;
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
    return resolve(source, wanted, false);
  }

  /**
   * As {@link #resolve(ImageSource, Optional)}; with {@code singleMustMatch}, a single image whose
   * config names another platform than {@code wanted} is a usage error too (for an image the user
   * picked a platform for, rather than a baseline matched to it).
   */
  public static Mono<ResolvedImage> resolve(ImageSource source, Optional<Platform> wanted, boolean singleMustMatch) {
    return source.manifest().flatMap(top -> resolve(source, top, wanted, singleMustMatch));
  }

  /**
   * As {@link #resolve(ImageSource, Optional, boolean)}, from {@code top}: the manifest the source's
   * reference names, already fetched.
   */
  public static Mono<ResolvedImage> resolve(
      ImageSource source, RawManifest top, Optional<Platform> wanted, boolean singleMustMatch) {
    String where = source.reference().toString();
    return descend(source, top, wanted, where)
        .flatMap(pick -> withConfig(source, pick, singleMustMatch ? wanted : Optional.empty(), where));
  }

  private record Pick(ImageManifest manifest, Platform platform) {}

  /**
   * A plain image is taken as it is; from an index, the platform is chosen among every image it
   * reaches through nested indexes (which carry no platform of their own to match).
   */
  private static Mono<Pick> descend(ImageSource source, RawManifest raw, Optional<Platform> wanted, String where) {
    if (!raw.isIndex()) {
      return Mono.fromCallable(() -> new Pick(Manifests.image(raw, where), null));
    }
    return instances(source, raw, where, 0)
        .collectList()
        .map(images -> PlatformSelector.select(images, wanted, where))
        .flatMap(
            child ->
                fetch(source, child, where)
                    .map(childRaw -> new Pick(Manifests.image(childRaw, where + " " + child.digest()), child.platform())));
  }

  /** The image entries of {@code index}, with nested indexes replaced by their own entries. */
  private static Flux<Descriptor> instances(ImageSource source, RawManifest index, String where, int depth) {
    if (depth >= MAX_NESTING) {
      return Flux.error(
          new ContentException(where + ": manifest lists nested deeper than " + MAX_NESTING, "the image index is malformed"));
    }
    return Flux.fromIterable(Manifests.index(index, where).manifests())
        .concatMap(
            child ->
                MediaTypes.isIndex(child.mediaType())
                    ? fetch(source, child, where).flatMapMany(nested -> instances(source, nested, where, depth + 1))
                    : Flux.just(child));
  }

  private static Mono<RawManifest> fetch(ImageSource source, Descriptor child, String where) {
    return source.manifest(child).flatMap(raw -> checkChild(child, raw, where));
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

  private static Mono<ResolvedImage> withConfig(ImageSource source, Pick pick, Optional<Platform> wanted, String where) {
    Descriptor config = pick.manifest().config();
    return Blobs.readSmall(source.blob(config), config, where + " config", Json.MAX_DOCUMENT_BYTES)
        .map(
            bytes -> {
              var parsed = Manifests.config(bytes, where);
              Platform platform = pick.platform() != null ? pick.platform() : parsed.platform();
              if (pick.platform() == null && platform != null && wanted.isPresent() && !wanted.get().isCompatibleWith(platform)) {
                throw new NoSuchPlatformException(
                    where + " is a single image for " + platform + ", not " + wanted.get(),
                    "drop --platform, or use the image built for " + wanted.get());
              }
              return new ResolvedImage(pick.manifest(), bytes, parsed, platform, source.imageName());
            });
  }
}
