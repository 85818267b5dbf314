package dev.diffah.transport.oci;

import dev.diffah.spi.FileRegion;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the files of an image layout go: a directory, or a tar of that directory, both written
 * beside the target and moved into place at {@link #commit()}. Calls are sequential. Once a write
 * fails the sink is broken: further writes and the commit fail, and {@link #close()} removes
 * everything.
 */
public interface LayoutSink extends AutoCloseable {
  /** The target path, for messages. */
  String location();

  Mono<Void> putDirectory(String name);

  /** Streams exactly {@code size} bytes of {@code content} into the file {@code name}. */
  Mono<Void> putFile(String name, long size, Flux<ByteBuffer> content);

  /**
   * Puts the bytes of the local {@code source} region at {@code name} without passing them through
   * the JVM where it can (a link, a copy in the kernel), handing each piece that landed to {@code
   * landed}, to be verified before commit. Otherwise writes {@code verified} (the same bytes,
   * checked as they stream).
   */
  Mono<Void> putRegion(String name, FileRegion source, Flux<ByteBuffer> verified, Consumer<FileRegion> landed);

  /** Completes the output and moves it into place atomically. */
  Mono<Void> commit();

  /** Discards the output unless committed. */
  @Override
  void close();
}
