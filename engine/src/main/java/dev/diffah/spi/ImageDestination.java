package dev.diffah.spi;

import dev.diffah.model.Descriptor;
import dev.diffah.model.RawManifest;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Write access to one image in some transport. Call order: {@link #putBlob} for the config and each
 * distinct layer, one at a time; then {@link #putManifest}; then {@link #commit}. Until commit,
 * nothing is visible at the destination; {@link #close()} without commit removes every trace.
 *
 * <p>The engine verifies the content while it streams; a content Flux that ends in an error must
 * leave the destination uncommittable.
 */
public interface ImageDestination extends AutoCloseable {
  ImageReference reference();

  /** Stores one blob. Calls are sequential: the next starts after the previous completes. */
  Mono<Void> putBlob(Descriptor descriptor, Flux<ByteBuffer> content);

  /**
   * Stores a blob whose bytes lie in a local {@code region}, sequentially like {@link #putBlob}. A
   * destination that can link the file or copy the region in the kernel does so, handing each
   * piece of its output that now holds the blob's bytes to {@code landed} as soon as it is there:
   * the engine verifies them, while the copy goes on, before it commits. Otherwise it writes
   * {@code verified} (the same bytes, checked as they stream) like any blob, as it does nothing
   * for a blob it already holds; either way without calling {@code landed}.
   */
  default Mono<Void> putBlobRegion(Descriptor descriptor, FileRegion region, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
    return putBlob(descriptor, verified);
  }

  /** Stores the image manifest (verbatim where the format can carry it). */
  Mono<Void> putManifest(RawManifest manifest);

  /** Makes the image visible at the reference atomically. */
  Mono<Void> commit();

  /** Releases resources; discards everything written when not committed. */
  @Override
  void close();
}
