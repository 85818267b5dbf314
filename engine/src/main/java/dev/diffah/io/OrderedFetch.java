package dev.diffah.io;

import dev.diffah.error.IoErrors;
import dev.diffah.model.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Fetches blobs up to {@code jobs} at a time and hands them over in their original order. The first
 * blob streams straight through; the others download at the same time into spool files beside the
 * output and are read back when their turn comes. At most {@code jobs} blobs are in flight or
 * spooled at once; spool files are deleted once written, and on error or cancellation.
 */
public final class OrderedFetch {
  private OrderedFetch() {}

  /** One blob ready to be written: its bytes, and the spool file they come from, if any. */
  public record Fetched(Descriptor descriptor, Flux<ByteBuffer> content, Optional<Path> spool) {
    /** Deletes the spool file, off the caller's thread. */
    public void release() {
      spool.ifPresent(OrderedFetch::deleteLater);
    }
  }

  /**
   * The blobs in order. With {@code jobs <= 1} every blob streams directly, one at a time. Consume
   * each {@link Fetched#content()} once, then call {@link Fetched#release()}; discarded elements
   * release themselves.
   */
  public static Flux<Fetched> fetch(
      List<Descriptor> blobs, Function<Descriptor, Flux<ByteBuffer>> content, int jobs, Path spoolDir) {
    if (jobs <= 1 || blobs.size() <= 1) {
      return Flux.fromIterable(blobs).map(d -> new Fetched(d, content.apply(d), Optional.empty()));
    }
    Descriptor first = blobs.get(0);
    return Flux.concat(
            Mono.fromSupplier(() -> new Fetched(first, content.apply(first), Optional.empty())),
            Flux.fromIterable(blobs.subList(1, blobs.size()))
                .flatMapSequential(d -> spool(d, content.apply(d), spoolDir), jobs - 1, 1))
        .doOnDiscard(Fetched.class, Fetched::release);
  }

  private static Mono<Fetched> spool(Descriptor d, Flux<ByteBuffer> bytes, Path dir) {
    return Mono.defer(
        () -> {
          SpoolFile spool = new SpoolFile();
          return Mono.fromCallable(() -> spool.create(dir))
              .subscribeOn(Schedulers.boundedElastic())
              .onErrorMap(IOException.class, e -> IoErrors.wrap("creating a spool file in " + dir, e))
              .flatMap(file -> writeTo(file, bytes).thenReturn(new Fetched(d, Blobs.readFile(file), Optional.of(file))))
              .doOnError(e -> spool.discard())
              .doOnCancel(spool::discard);
        });
  }

  /**
   * One spool file's life until its blob is handed over: deleted on error, and on a cancel that
   * arrives at any point, even while the file is being created or its blob waits in a queue.
   */
  private static final class SpoolFile {
    private final AtomicReference<Path> file = new AtomicReference<>();
    private final AtomicBoolean discarded = new AtomicBoolean();

    Path create(Path dir) throws IOException {
      Path created = TempFiles.createFile(dir, ".diffah-spool-", ".blob");
      file.set(created);
      if (discarded.get()) {
        deleteLater(created);
      }
      return created;
    }

    void discard() {
      discarded.set(true);
      Path created = file.get();
      if (created != null) {
        deleteLater(created);
      }
    }
  }

  private static Mono<Void> writeTo(Path file, Flux<ByteBuffer> bytes) {
    return Flux.using(
            () -> FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
            channel -> bytes.publishOn(Schedulers.boundedElastic(), 4).doOnNext(buf -> write(channel, buf)),
            OrderedFetch::closeQuietly)
        .onErrorMap(t -> IoErrors.translate("spooling to " + file, t))
        .then();
  }

  private static void write(FileChannel channel, ByteBuffer buf) {
    try {
      ByteBuffer view = buf.duplicate();
      while (view.hasRemaining()) {
        channel.write(view);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // a failed close surfaces as a short or corrupt blob, which the reader verifies
    }
  }

  private static void deleteLater(Path file) {
    Schedulers.boundedElastic()
        .schedule(
            () -> TempFiles.delete(file));
  }
}
