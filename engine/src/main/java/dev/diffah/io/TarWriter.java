package dev.diffah.io;

import dev.diffah.error.IoErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a tar stream with fixed metadata (owner 0:0, no user names, mtime 0, mode 0644/0755), so
 * the same entries always give the same bytes. Long names and sizes use PAX headers. Calls must be
 * sequential: each {@code put} completes before the next starts.
 */
public final class TarWriter implements AutoCloseable {
  private static final Date EPOCH = new Date(0);
  /**
   * Bytes handed to the underlying stream at a time: the POSIX 20-record block. Without it the tar
   * stream writes 512-byte records one by one, which costs more CPU than hashing.
   */
  private static final int BLOCK_SIZE = 10240;

  private final TarArchiveOutputStream tar;

  public TarWriter(OutputStream out) {
    this.tar = new TarArchiveOutputStream(out, BLOCK_SIZE, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** Streams {@code content} (exactly {@code size} bytes) into a regular-file entry. */
  public Mono<Void> putFile(String name, long size, Flux<ByteBuffer> content) {
    return Mono.fromRunnable(() -> begin(regular(name, size)))
        .subscribeOn(Schedulers.boundedElastic())
        .thenMany(content.publishOn(Schedulers.boundedElastic(), 4))
        .doOnNext(buf -> Blobs.write(tar, buf))
        .then(Mono.fromRunnable(this::end))
        .onErrorMap(t -> IoErrors.translate("writing " + name, t))
        .then();
  }

  /** Writes a small in-memory file entry. */
  public Mono<Void> putFile(String name, byte[] bytes) {
    return putFile(name, bytes.length, Blobs.of(bytes));
  }

  /** Writes a directory entry. */
  public Mono<Void> putDirectory(String name) {
    return Mono.<Void>fromRunnable(
            () -> {
              TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
              normalize(entry, 040755);
              begin(entry);
              end();
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** Writes a symbolic link entry. */
  public Mono<Void> putSymlink(String name, String target) {
    return Mono.<Void>fromRunnable(
            () -> {
              TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
              entry.setLinkName(target);
              normalize(entry, 0120777);
              begin(entry);
              end();
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** Writes the end-of-archive marker and flushes; does not close the underlying stream. */
  public Mono<Void> finish() {
    return Mono.<Void>fromRunnable(
            () -> {
              try {
                tar.finish();
                tar.flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(t -> IoErrors.translate("finishing archive", t));
  }

  @Override
  public void close() {
    try {
      tar.close();
    } catch (IOException | RuntimeException ignored) {
      // closing after a failure: the original error is what matters
    }
  }

  private static TarArchiveEntry regular(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(size);
    normalize(entry, 0100644);
    return entry;
  }

  private static void normalize(TarArchiveEntry entry, int mode) {
    entry.setMode(mode);
    entry.setModTime(EPOCH);
    entry.setUserId(0);
    entry.setGroupId(0);
    entry.setUserName("");
    entry.setGroupName("");
  }

  private void begin(TarArchiveEntry entry) {
    try {
      tar.putArchiveEntry(entry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void end() {
    try {
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
