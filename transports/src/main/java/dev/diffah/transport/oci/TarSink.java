package dev.diffah.transport.oci;

import dev.diffah.error.IoErrors;
import dev.diffah.io.AtomicOutput;
import dev.diffah.io.TarWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Writes layout files as entries of a deterministic tar that becomes the target at commit. */
public final class TarSink implements LayoutSink {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final AtomicOutput output;
  private final OutputStream file;
  private final TarWriter tar;
  private final SinkState state;

  private TarSink(AtomicOutput output, OutputStream file) {
    this.output = output;
    this.file = file;
    this.tar = new TarWriter(file);
    this.state = new SinkState(output.target().toString());
  }

  /** Reserves the temporary file (blocking); an existing target is a usage error unless {@code replace}. */
  public static TarSink begin(Path target, boolean replace) {
    AtomicOutput output = AtomicOutput.begin(target, false, replace);
    try {
      return new TarSink(output, new BufferedOutputStream(Files.newOutputStream(output.temp()), BUFFER_SIZE));
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

  @Override
  public Mono<Void> commit() {
    return state.guard(
        tar.finish()
            .then(
                Mono.<Void>fromRunnable(
                        () -> {
                          closeFile();
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

  private void closeFile() {
    try {
      file.close();
    } catch (IOException e) {
      throw IoErrors.wrap("writing " + output.temp(), e);
    }
  }
}
