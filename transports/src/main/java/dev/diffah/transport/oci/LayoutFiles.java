package dev.diffah.transport.oci;

import java.nio.ByteBuffer;
import dev.diffah.spi.FileRegion;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the files of an image layout come from: a directory, or a tar of that directory read in
 * place. Names are relative paths with {@code /} separators; none may leave the layout.
 */
public interface LayoutFiles {
  /** The directory or archive, for messages. */
  String location();

  /** The size of the regular file {@code name}; empty when there is none. */
  Mono<Long> size(String name);

  /** Streams the file {@code name}; a content error when it is absent. */
  Flux<ByteBuffer> read(String name);

  /** Where the bytes of file {@code name} lie on the local filesystem. */
  Optional<FileRegion> localRegion(String name);

  /** Reads a small file (a JSON document) whole; a content error when absent or over {@code limit}. */
  Mono<byte[]> readSmall(String name, int limit);
}
