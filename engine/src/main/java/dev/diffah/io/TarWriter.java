package dev.diffah.io;

import dev.diffah.error.IoErrors;
import dev.diffah.spi.FileRegion;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a tar stream with fixed metadata (owner 0:0, no user names, mtime 0, mode 0644/0755), so
 * the same entries always give the same bytes. Long names and sizes use PAX headers. Calls must be
 * sequential: each {@code put} completes before the next starts.
 *
 * <p>Written to a file ({@link #toFile}), an entry can also be filled from a region of another
 * local file by the kernel ({@link #putRegion}), so its bytes never pass through the JVM.
 */
public final class TarWriter implements AutoCloseable {
  private static final Date EPOCH = new Date(0);
  private static final int RECORD = 512;
  private static final ZipEncoding NAMES = ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name());

  private final TarArchiveOutputStream tar;
  private final OutputStream out;
  private final Path file;
  private final FileChannel channel;

  /** A tar written to a stream (compressed, say): every entry's bytes go through {@link #putFile}. */
  public TarWriter(OutputStream out) {
    this(out, null, null);
  }

  private TarWriter(OutputStream out, Path file, FileChannel channel) {
    this.out = out;
    this.file = file;
    this.channel = channel;
    // One record per block: the archive ends after its two end-of-archive records, as Go's
    // archive/tar writes it, and entries written around the stream (putRegion) keep it aligned.
    this.tar = new TarArchiveOutputStream(out, RECORD, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** A tar written to {@code file} (created or truncated), which can take entries from local regions. */
  public static TarWriter toFile(Path file, int bufferSize) throws IOException {
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    return new TarWriter(new BufferedOutputStream(Channels.newOutputStream(channel), bufferSize), file, channel);
  }

  /**
   * Whether {@link #putRegion} can copy an entry of this name and size in the kernel: the tar is a
   * file and the entry fits a plain ustar header (no PAX record needed).
   */
  public boolean copiesRegion(String name, long size) {
    return channel != null
        && size <= TarConstants.MAXSIZE
        && name.getBytes(StandardCharsets.UTF_8).length < TarConstants.NAMELEN
        && StandardCharsets.US_ASCII.newEncoder().canEncode(name);
  }

  /**
   * Adds a regular-file entry holding the bytes of {@code source}, copied by the kernel, handing
   * each piece that landed in this tar to {@code landed} (for the caller to verify). Only where
   * {@link #copiesRegion} allows it; the header is the one {@link #putFile} would write.
   */
  public Mono<Void> putRegion(String name, FileRegion source, Consumer<FileRegion> landed) {
    return Mono.<Void>fromRunnable(() -> copyEntry(name, source, landed))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(t -> IoErrors.translate("writing " + name + into(), t));
  }

  /** Streams {@code content} (exactly {@code size} bytes) into a regular-file entry. */
  public Mono<Void> putFile(String name, long size, Flux<ByteBuffer> content) {
    return Mono.fromRunnable(() -> begin(regular(name, size)))
        .subscribeOn(Schedulers.boundedElastic())
        .thenMany(content.publishOn(Schedulers.boundedElastic(), 4))
        .doOnNext(buf -> Blobs.write(tar, buf))
        .then(Mono.fromRunnable(this::end))
        .onErrorMap(t -> IoErrors.translate("writing " + name + into(), t))
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
        .onErrorMap(t -> IoErrors.translate("finishing archive" + into(), t));
  }

  private void copyEntry(String name, FileRegion source, Consumer<FileRegion> landed) {
    if (!copiesRegion(name, source.length())) {
      throw new IllegalStateException(name + " cannot be copied as a region");
    }
    try {
      out.flush(); // everything the tar stream wrote so far is on the channel, record-aligned
      byte[] header = new byte[RECORD];
      regular(name, source.length()).writeEntryHeader(header, NAMES, false);
      writeFully(ByteBuffer.wrap(header));
      Blobs.transfer(source, channel, file, landed);
      int padding = (int) ((RECORD - source.length() % RECORD) % RECORD);
      writeFully(ByteBuffer.allocate(padding));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the entries go, for messages: the file, when the tar is one. */
  private String into() {
    return file == null ? "" : " into " + file;
  }

  private void writeFully(ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
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
