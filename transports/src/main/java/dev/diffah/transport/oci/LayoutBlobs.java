package dev.diffah.transport.oci;

import dev.diffah.error.ContentException;
import dev.diffah.io.Blobs;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.RawManifest;
import java.nio.ByteBuffer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Content-addressed files of a layout: blobs and manifests found by digest. */
public final class LayoutBlobs {
  private final LayoutFiles files;
  private final String where;
  private final Function<Digest, String> blobPath;

  /**
   * @param where the reference, named in errors
   * @param blobPath where a blob lies, from its (always well-formed) digest
   */
  public LayoutBlobs(LayoutFiles files, String where, Function<Digest, String> blobPath) {
    this.files = files;
    this.where = where;
    this.blobPath = blobPath;
  }

  /** Streams a blob, or fails with a content error naming it when it is absent. */
  public Flux<ByteBuffer> blob(Descriptor descriptor) {
    return blob(descriptor.digest(), blobPath.apply(descriptor.digest()));
  }

  /** True when the blob is present with the size the descriptor says. */
  public java.util.Optional<dev.diffah.spi.FileRegion> blobRegion(Descriptor descriptor) {
    return files.localRegion(blobPath.apply(descriptor.digest()));
  }

  public Mono<Boolean> hasBlob(Descriptor descriptor) {
    return files.size(blobPath.apply(descriptor.digest())).map(size -> size == descriptor.size()).defaultIfEmpty(false);
  }

  /** The manifest stored under the descriptor's digest, checked against its digest and size. */
  public Mono<RawManifest> manifest(Descriptor descriptor) {
    return manifest(descriptor, blobPath.apply(descriptor.digest()));
  }

  /** A manifest stored at {@code path}, checked against the descriptor's digest and size. */
  public Mono<RawManifest> manifest(Descriptor descriptor, String path) {
    return Blobs.readSmall(blob(descriptor.digest(), path), descriptor, where, Json.MAX_DOCUMENT_BYTES)
        .map(bytes -> parse(bytes, descriptor.mediaType(), where));
  }

  /** Wraps manifest bytes, naming {@code where} when they are not a manifest. */
  public static RawManifest parse(byte[] bytes, String declaredMediaType, String where) {
    try {
      return RawManifest.of(bytes, declaredMediaType);
    } catch (ContentException e) {
      throw new ContentException(where + ": " + e.getMessage(), e.hint(), e);
    }
  }

  private Flux<ByteBuffer> blob(Digest digest, String path) {
    return files
        .size(path)
        .switchIfEmpty(
            Mono.error(
                () ->
                    new ContentException(
                        "blob " + digest + " is not in " + where,
                        "the image is incomplete; copy it again with all its blobs")))
        .flatMapMany(size -> files.read(path));
  }
}
