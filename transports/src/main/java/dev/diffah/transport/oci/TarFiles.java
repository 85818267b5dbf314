package dev.diffah.transport.oci;

import dev.diffah.io.TarIndex;
import java.nio.ByteBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Layout files inside a tar archive, read in place through its index. */
public final class TarFiles implements LayoutFiles {
  private final TarIndex tar;

  public TarFiles(TarIndex tar) {
    this.tar = tar;
  }

  @Override
  public String location() {
    return tar.file().toString();
  }

  @Override
  public Mono<Long> size(String name) {
    return Mono.fromCallable(() -> tar.regularFile(name).map(TarIndex.Entry::size).orElse(null));
  }

  @Override
  public Flux<ByteBuffer> read(String name) {
    return tar.read(name);
  }

  @Override
  public java.util.Optional<dev.diffah.spi.FileRegion> localRegion(String name) {
    return tar.region(name);
  }

  @Override
  public Mono<byte[]> readSmall(String name, int limit) {
    return tar.readSmall(name, limit);
  }
}
