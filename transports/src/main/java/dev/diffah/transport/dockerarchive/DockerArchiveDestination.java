package dev.diffah.transport.dockerarchive;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import dev.diffah.io.AtomicOutput;
import dev.diffah.io.Blobs;
import dev.diffah.io.TarWriter;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes one image as a docker-archive that {@code docker load} and {@code podman load} accept:
 * {@code <hex>.json} for the config, {@code <hex>.tar} per layer (in the compression it arrives
 * in), {@code manifest.json}, and {@code repositories} when the image is named. The tar grows in a
 * temporary file beside the target and is renamed into place on commit.
 */
final class DockerArchiveDestination implements ImageDestination {
  private final DockerArchiveReference reference;
  private final Optional<String> repoTag;
  private final AtomicOutput output;
  private final TarWriter tar;
  private final Map<Digest, String> written = new ConcurrentHashMap<>();
  private volatile boolean failed;
  private volatile boolean manifestWritten;

  private DockerArchiveDestination(
      DockerArchiveReference reference, Optional<String> repoTag, AtomicOutput output, TarWriter tar) {
    this.reference = reference;
    this.repoTag = repoTag;
    this.output = output;
    this.tar = tar;
  }

  static Mono<ImageDestination> open(DockerArchiveReference reference, DestinationOptions options) {
    return Mono.<ImageDestination>fromCallable(
            () -> {
              Optional<String> repoTag = reference.nameToWrite(options);
              AtomicOutput output = AtomicOutput.begin(reference.path(), false, options.replaceExisting());
              try {
                return new DockerArchiveDestination(reference, repoTag, output, TarWriter.toFile(output.temp(), Blobs.CHUNK_SIZE));
              } catch (IOException e) {
                output.close();
                throw IoErrors.wrap("creating " + output.temp(), e);
              }
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public Mono<Void> putBlob(Descriptor descriptor, Flux<ByteBuffer> content) {
    return writeOnce(descriptor, name -> tar.putFile(name, descriptor.size(), content));
  }

  /** Copied into the archive by the kernel where the entry fits a plain tar header. */
  @Override
  public Mono<Void> putBlobRegion(Descriptor descriptor, FileRegion region, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
    return writeOnce(
        descriptor,
        name -> tar.copiesRegion(name, region.length()) ? tar.putRegion(name, region, landed) : tar.putFile(name, region.length(), verified));
  }

  private Mono<Void> writeOnce(Descriptor descriptor, Function<String, Mono<Void>> write) {
    return Mono.defer(
        () -> {
          requireWritable("putBlob");
          if (written.containsKey(descriptor.digest())) {
            return Mono.<Void>empty();
          }
          String name = descriptor.digest().hex() + (isConfig(descriptor.mediaType()) ? ".json" : ".tar");
          return tracked(write.apply(name)).doOnSuccess(done -> written.put(descriptor.digest(), name));
        });
  }

  @Override
  public Mono<Void> putManifest(RawManifest manifest) {
    return Mono.defer(
        () -> {
          requireWritable("putManifest");
          ImageManifest image = Manifests.image(manifest, reference.toString());
          ArchiveImage entry =
              new ArchiveImage(
                  entryFor(image.config()),
                  repoTag.map(List::of).orElse(null),
                  image.layers().stream().map(this::entryFor).toList());
          Mono<Void> writes = tar.putFile(ArchiveImage.MANIFEST_JSON, toJson(List.of(entry)));
          if (repoTag.isPresent()) {
            writes = writes.then(tar.putFile("repositories", toJson(repositories(repoTag.get(), image))));
          }
          return tracked(writes).doOnSuccess(done -> manifestWritten = true);
        });
  }

  @Override
  public Mono<Void> commit() {
    return Mono.defer(
        () -> {
          if (failed || !manifestWritten) {
            return Mono.error(
                new IllegalStateException(
                    reference + ": commit " + (failed ? "after a failed write" : "before putManifest")));
          }
          return tar.finish()
              .then(Mono.<Void>fromRunnable(this::closeAndMoveIntoPlace).subscribeOn(Schedulers.boundedElastic()));
        });
  }

  @Override
  public void close() {
    tar.close();
    output.close();
  }

  private void closeAndMoveIntoPlace() {
    tar.close();
    output.commit();
  }

  /** Marks the destination uncommittable when a write fails or is cancelled half-way. */
  private Mono<Void> tracked(Mono<Void> write) {
    return write.doOnError(e -> failed = true).doOnCancel(() -> failed = true);
  }

  private void requireWritable(String call) {
    if (failed || manifestWritten) {
      throw new IllegalStateException(
          reference + ": " + call + (failed ? " after a failed write" : " after putManifest"));
    }
  }

  private String entryFor(Descriptor descriptor) {
    String name = written.get(descriptor.digest());
    if (name == null) {
      throw new ContentException(
          reference + ": the manifest references blob " + descriptor.digest() + ", which was never written",
          "every blob the manifest names must be put before the manifest");
    }
    return name;
  }

  /**
   * The legacy {@code repositories} map. It points at the image ID: this archive has no legacy
   * {@code <id>/} layer directories, and every loader that reads manifest.json ignores the value.
   */
  private static Map<String, Map<String, String>> repositories(String repoTag, ImageManifest image) {
    return Map.of(DockerNames.repository(repoTag), Map.of(DockerNames.tag(repoTag), image.config().digest().hex()));
  }

  private static boolean isConfig(String mediaType) {
    return MediaTypes.DOCKER_CONFIG.equals(mediaType) || MediaTypes.OCI_CONFIG.equals(mediaType);
  }

  private static byte[] toJson(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise docker-archive metadata", e);
    }
  }
}
