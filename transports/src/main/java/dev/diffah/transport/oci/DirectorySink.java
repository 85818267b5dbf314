package dev.diffah.transport.oci;

import dev.diffah.error.IoErrors;
import dev.diffah.io.AtomicOutput;
import dev.diffah.io.Blobs;
import dev.diffah.spi.FileRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Writes layout files into a temporary directory that becomes the target at commit. */
public final class DirectorySink implements LayoutSink {
  private final AtomicOutput output;
  private final SinkState state;

  private DirectorySink(AtomicOutput output) {
    this.output = output;
    this.state = new SinkState(output.target().toString());
  }

  /** Reserves the temporary directory (blocking); an existing target is a usage error unless {@code replace}. */
  public static DirectorySink begin(Path target, boolean replace) {
    return new DirectorySink(AtomicOutput.begin(target, true, replace));
  }

  @Override
  public String location() {
    return output.target().toString();
  }

  @Override
  public Mono<Void> putDirectory(String name) {
    return state.guard(
        Mono.<Void>fromRunnable(() -> createDirectory(output.temp().resolve(name)))
            .subscribeOn(Schedulers.boundedElastic()));
  }

  @Override
  public Mono<Void> putFile(String name, long size, Flux<ByteBuffer> content) {
    Path file = output.temp().resolve(name);
    return state.guard(
        Mono.using(
                () -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                channel ->
                    content
                        .publishOn(Schedulers.boundedElastic(), 4)
                        .doOnNext(buf -> writeFully(channel, buf))
                        .then(),
                DirectorySink::closeQuietly)
            .subscribeOn(Schedulers.boundedElastic())
            .onErrorMap(e -> IoErrors.translate("writing " + file, e)));
  }

  /**
   * A whole file is hard-linked where possible (same filesystem), otherwise its region is copied in
   * the kernel: the bytes never pass through the JVM here, and the copy is what gets verified.
   */
  @Override
  public Mono<Void> putRegion(String name, FileRegion source, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
    Path file = output.temp().resolve(name);
    return state.guard(
        Mono.<Void>fromCallable(
                () -> {
                  if (source.wholeFile() && link(source, file)) {
                    landed.accept(new FileRegion(file, 0, source.length()));
                  } else {
                    copyRegion(source, file, landed);
                  }
                  return null;
                })
            .subscribeOn(Schedulers.boundedElastic())
            .onErrorMap(e -> IoErrors.translate("writing " + file, e)));
  }

  private static boolean link(FileRegion source, Path file) {
    try {
      Files.createLink(file, source.file());
      return true;
    } catch (IOException | UnsupportedOperationException cannotLink) {
      return false;
    }
  }

  private static void copyRegion(FileRegion source, Path file, Consumer<FileRegion> landed) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Blobs.transfer(source, out, file, landed);
    }
  }

  @Override
  public Mono<Void> commit() {
    return state.guard(
        Mono.<Void>fromRunnable(
                () -> {
                  output.commit();
                  state.markCommitted();
                })
            .subscribeOn(Schedulers.boundedElastic()));
  }

  @Override
  public void close() {
    output.close();
  }

  /**
   * One level at a time, never the parents: a stopped process deletes the temporary directory
   * while a worker may still be writing, and that worker must fail rather than recreate it.
   */
  private static void createDirectory(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw IoErrors.wrap("creating " + dir, e);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buf) {
    try {
      ByteBuffer view = buf.duplicate();
      while (view.hasRemaining()) {
        channel.write(view);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // a channel without user-space buffers has nothing left to lose on close
    }
  }
}
