package dev.diffah.transport.dockerarchive;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.diffah.error.ContentException;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads one image of a docker-archive. The archive carries no registry manifest, so a Docker schema
 * 2 manifest is synthesised from manifest.json, the config and the layer files; its bytes depend on
 * the archive alone, so the same archive always gives the same manifest digest.
 */
final class DockerArchiveSource implements ImageSource {
  private final DockerArchiveReference reference;
  private final TarIndex tar;
  private final RawManifest manifest;
  private final Map<Digest, String> blobPaths;
  private final Optional<String> imageName;

  private DockerArchiveSource(
      DockerArchiveReference reference,
      TarIndex tar,
      RawManifest manifest,
      Map<Digest, String> blobPaths,
      Optional<String> imageName) {
    this.reference = reference;
    this.tar = tar;
    this.manifest = manifest;
    this.blobPaths = Map.copyOf(blobPaths);
    this.imageName = imageName;
  }

  /** The Docker schema 2 manifest as synthesised; field order fixed for stable bytes. */
  @JsonPropertyOrder({"schemaVersion", "mediaType", "config", "layers"})
  private record SchemaTwoManifest(int schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers) {}

  static Mono<ImageSource> open(DockerArchiveReference reference) {
    return Mono.fromCallable(() -> TarIndex.open(reference.path()))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            tar ->
                ArchiveImage.readAll(tar)
                    .map(images -> ImageSelection.select(images, reference))
                    .flatMap(image -> load(reference, tar, image)));
  }

  private static Mono<ImageSource> load(DockerArchiveReference reference, TarIndex tar, ArchiveImage image) {
    return tar.readSmall(image.config(), Json.MAX_DOCUMENT_BYTES)
        .flatMap(
            configBytes -> {
              Descriptor config = Descriptor.of(MediaTypes.DOCKER_CONFIG, Digest.sha256(configBytes), configBytes.length);
              List<Digest> diffIds = Manifests.config(configBytes, reference + " " + image.config()).diffIds();
              List<String> paths = image.layerPaths();
              requireOneLayerPerDiffId(reference, image, diffIds);
              return Flux.range(0, paths.size())
                  .concatMap(i -> ArchiveLayers.describe(tar, paths.get(i), diffIds.get(i)))
                  .collectList()
                  .flatMap(
                      layers ->
                          OciView.check(tar, reference.toString(), config, layers)
                              .then(Mono.fromCallable(() -> create(reference, tar, image, config, layers))));
            });
  }

  /** Loaders pair layer files with DiffIDs by position: a count that differs cannot load. */
  private static void requireOneLayerPerDiffId(DockerArchiveReference reference, ArchiveImage image, List<Digest> diffIds) {
    int layers = image.layerPaths().size();
    if (layers != diffIds.size()) {
      throw new ContentException(
          reference + ": manifest.json lists " + layers + " layers for config " + image.config()
              + ", but the config has " + diffIds.size() + " DiffIDs",
          "the archive is damaged or was edited; re-create it with docker save, podman save or skopeo copy");
    }
  }

  private static ImageSource create(
      DockerArchiveReference reference, TarIndex tar, ArchiveImage image, Descriptor config, List<Descriptor> layers) {
    Map<Digest, String> paths = new HashMap<>();
    paths.put(config.digest(), image.config());
    for (int i = 0; i < layers.size(); i++) {
      paths.putIfAbsent(layers.get(i).digest(), image.layerPaths().get(i));
    }
    RawManifest manifest = RawManifest.of(synthesize(config, layers), MediaTypes.DOCKER_MANIFEST);
    Optional<String> name = image.tags().stream().findFirst();
    return new DockerArchiveSource(reference, tar, manifest, paths, name);
  }

  private static byte[] synthesize(Descriptor config, List<Descriptor> layers) {
    try {
      return Json.MAPPER.writeValueAsBytes(new SchemaTwoManifest(2, MediaTypes.DOCKER_MANIFEST, config, layers));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a synthesised manifest", e);
    }
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public Mono<RawManifest> manifest() {
    return Mono.just(manifest);
  }

  @Override
  public Mono<RawManifest> manifest(Descriptor descriptor) {
    return Mono.error(
        new ContentException(
            reference + " holds single images, not an index, so it has no manifest " + descriptor.digest(),
            "select an image with docker-archive:PATH:NAME:TAG or :@INDEX"));
  }

  @Override
  public Flux<ByteBuffer> blob(Descriptor descriptor) {
    String path = blobPaths.get(descriptor.digest());
    if (path == null) {
      return Flux.error(
          new ContentException(
              reference + " has no blob " + descriptor.digest(),
              "the image in the archive does not reference that blob; check the reference"));
    }
    return tar.read(path);
  }

  @Override
  public Optional<FileRegion> blobRegion(Descriptor descriptor) {
    return Optional.ofNullable(blobPaths.get(descriptor.digest())).flatMap(tar::region);
  }

  @Override
  public Mono<Boolean> hasBlob(Descriptor descriptor) {
    return Mono.just(blobPaths.containsKey(descriptor.digest()));
  }

  @Override
  public Optional<String> imageName() {
    return imageName;
  }

  /** Nothing to release: the index holds no open file; each blob read opens and closes its own. */
  @Override
  public void close() {}
}
