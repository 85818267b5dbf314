package dev.diffah.spi;

import dev.diffah.model.Descriptor;
import dev.diffah.model.RawManifest;
import java.nio.ByteBuffer;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Read access to one image (or one index of images) in some transport: the small core a transport
 * implements. The engine derives platform selection and verification from it.
 *
 * <p>Blob bytes are returned as the transport holds them and are <em>not</em> verified here: the
 * engine checks digest and size while they stream. {@link #close()} releases any files held.
 */
public interface ImageSource extends AutoCloseable {
  ImageReference reference();

  /** The manifest the reference names: an image manifest or an index. */
  Mono<RawManifest> manifest();

  /** A manifest named by a descriptor of an index of this source. */
  Mono<RawManifest> manifest(Descriptor descriptor);

  /**
   * Streams a blob. Buffers are heap buffers handed over to the subscriber. Errors with a content
   * error when the blob is not present.
   */
  Flux<ByteBuffer> blob(Descriptor descriptor);

  /**
   * Where this blob's bytes lie on the local filesystem (a layout's blob file, an archive's
   * entry), which a destination may copy in the kernel or link; empty where there is none.
   */
  default Optional<FileRegion> blobRegion(Descriptor descriptor) {
    return Optional.empty();
  }

  /** Whether the blob can be read, without reading it. */
  Mono<Boolean> hasBlob(Descriptor descriptor);

  /** The {@code repository:tag} this image is known by inside the source, if it records one. */
  Optional<String> imageName();

  /**
   * Whether blobs come over a network, where fetching several at once pays off. Local sources read
   * at disk speed and are streamed one at a time, never spooled.
   */
  default boolean fetchesOverNetwork() {
    return false;
  }

  @Override
  void close();
}
