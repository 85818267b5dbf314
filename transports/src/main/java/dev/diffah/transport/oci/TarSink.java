package dev.diffah.transport.oci;

import dev.diffah.error.IoErrors;
import dev.diffah.io.AtomicOutput;
import dev.diffah.io.TarWriter;
import dev.diffah.spi.FileRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.nio.file.Path;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Writes layout files as entries of a deterministic tar that becomes the target at commit. */
public final class TarSink implements LayoutSink {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final AtomicOutput output;
  private final TarWriter tar;
  private final SinkState state;

  private TarSink(AtomicOutput output, TarWriter tar) {
    this.output = output;
    this.tar = tar;
    this.state = new SinkState(output.target().toString());
  }

  /** Reserves the temporary file (blocking); an existing target is a usage error unless {@code replace}. */
  public static TarSink begin(Path target, boolean replace) {
    AtomicOutput output = AtomicOutput.begin(target, false, replace);
    try {
      return new TarSink(output, TarWriter.toFile(output.temp(), BUFFER_SIZE));
    } catch (IOException e) {
      output.close();
      throw IoErrors.wrap("writing " + output.temp(), e);
    }
  }

  @Override
  public String location() {
    return output.target().toString();
  }

  @Override
  public Mono<Void> putDirectory(String name) {
    return state.guard(tar.putDirectory(name));
  }

  @Override
  public Mono<Void> putFile(String name, long size, Flux<ByteBuffer> content) {
    return state.guard(tar.putFile(name, size, content));
  }

  /** Copied by the kernel into the tar where the entry fits a plain header; streamed otherwise. */
  @Override
  public Mono<Void> putRegion(String name, FileRegion source, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
    if (tar.copiesRegion(name, source.length())) {
      return state.guard(tar.putRegion(name, source, landed));
    }
    return putFile(name, source.length(), verified);
  }

  @Override
  public Mono<Void> commit() {
    return state.guard(
        tar.finish()
            .then(
                Mono.<Void>fromRunnable(
                        () -> {
                          tar.close();
                          output.commit();
                          state.markCommitted();
                        })
                    .subscribeOn(Schedulers.boundedElastic())));
  }

  @Override
  public void close() {
    tar.close();
    output.close();
  }
}
