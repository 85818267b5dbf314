package dev.diffah.io;

import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import dev.diffah.error.UsageException;
import dev.diffah.spi.FileRegion;
import java.nio.file.Files;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A plain tar file indexed once: entry names mapped to where their data lies, so any entry can be
 * streamed with random access and nothing is extracted. Names are normalised ({@code ./} dropped);
 * names that would leave the archive are rejected.
 */
public final class TarIndex {
  private static final int MAX_LINK_HOPS = 16;
  /** Most bytes of headers (PAX records, GNU long names) one entry may have. */
  private static final int MAX_METADATA = 1 << 20;

  private final Path file;
  private final Map<String, Located> entries;
  private final List<String> order;
  /** The archive ends right after an entry, without the end-of-archive records: likely cut short. */
  private final boolean unterminated;

  private TarIndex(Path file, Map<String, Located> entries, List<String> order, boolean unterminated) {
    this.unterminated = unterminated;
    this.file = file;
    this.entries = entries;
    this.order = order;
  }

  /** Reads the tar headers of {@code file} (blocking). */
  public static TarIndex open(Path file) {
    if (Files.isDirectory(file)) {
      throw new UsageException(
          file + " is a directory, not an archive", "for an OCI layout directory use oci:DIR, for a skopeo directory dir:DIR");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new UsageException(file + " is not a regular file (a pipe or device)", "save the archive to a file first and pass its path");
    }
    Map<String, Located> entries = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    boolean unterminated;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = 0;
      for (Located next = readEntry(channel, position, file); next != null; next = readEntry(channel, position, file)) {
        position = next.dataOffset() + padded(next.entry().getSize());
        String name = normalize(next.entry().getName(), file);
        if (name.isEmpty()) {
          continue;
        }
        if (next.entry().isSparse()) {
          throw new ContentException(
              file + ": sparse tar entry " + name + " is not supported", "write the archive without sparse files");
        }
        entries.put(name, next);
        order.add(name);
        requireData(file, name, next, channel.size());
      }
      unterminated = position > 0 && position >= channel.size();
    } catch (IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
        throw IoErrors.wrap("opening " + file, e);
      }
      throw new ContentException(
          file + " is not a readable tar archive: " + e.getMessage(),
          "check that the file is complete and is the archive you meant",
          e);
    } catch (IllegalArgumentException e) {
      throw new ContentException(
          file + " has a malformed tar header: " + e.getMessage(), "the archive is damaged", e);
    }
    return new TarIndex(file, entries, Collections.unmodifiableList(order), unterminated);
  }

  /** An archive cut short (an interrupted copy) is named as such, whichever entry it cuts into. */
  private static void requireData(Path file, String name, Located entry, long fileSize) {
    long end = entry.dataOffset() + entry.entry().getSize();
    if (end > fileSize) {
      throw new ContentException(
          file + " is truncated: it ends inside entry " + name + ", " + (end - fileSize) + " bytes short of its data",
          "copy the archive again from its source");
    }
  }

  /** An entry and where its data starts in the file. */
  private record Located(TarArchiveEntry entry, long dataOffset) {}

  /**
   * Parses the entry whose headers start at {@code position}, letting commons-compress read any PAX
   * or GNU long-name headers through a window of {@link #MAX_METADATA} bytes, so a hostile header
   * cannot make it read or hold more. Entry data is never read here.
   */
  private static Located readEntry(FileChannel channel, long position, Path file) throws IOException {
    if (position >= channel.size()) {
      return null;
    }
    channel.position(position);
    InputStream window =
        BoundedInputStream.builder()
            .setInputStream(new BufferedInputStream(Channels.newInputStream(channel), 8192))
            .setMaxCount(MAX_METADATA)
            .get();
    TarArchiveInputStream tar = new TarArchiveInputStream(window, StandardCharsets.UTF_8.name());
    TarArchiveEntry entry;
    try {
      entry = tar.getNextEntry();
    } catch (IOException e) {
      if (window instanceof BoundedInputStream bounded && bounded.getCount() >= MAX_METADATA) {
        throw new ContentException(
            file + ": tar headers at offset " + position + " exceed " + MAX_METADATA + " bytes",
            "the archive is malformed or hostile; do not use it");
      }
      throw e;
    }
    return entry == null ? null : new Located(entry, position + tar.getBytesRead());
  }

  private static long padded(long size) {
    return (size + 511) / 512 * 512;
  }

  public Path file() {
    return file;
  }

  /** Entry names in archive order. */
  public List<String> names() {
    return order;
  }

  /** The first entry name, if any. */
  public Optional<String> firstName() {
    return order.isEmpty() ? Optional.empty() : Optional.of(order.get(0));
  }

  /** A regular file in the archive: its normalised name, size, and where its data starts. */
  public record Entry(String name, long size, long dataOffset) {}

  /** The regular file at {@code name}, following symlinks and hard links inside the archive. */
  public Optional<Entry> regularFile(String name) {
    String current = normalize(name, file);
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      Located located = entries.get(current);
      if (located == null) {
        return Optional.empty();
      }
      TarArchiveEntry entry = located.entry();
      if (entry.isSymbolicLink()) {
        current = resolveLink(current, entry.getLinkName(), true);
      } else if (entry.isLink()) {
        current = resolveLink(current, entry.getLinkName(), false);
      } else if (entry.isFile()) {
        return Optional.of(new Entry(current, entry.getSize(), located.dataOffset()));
      } else {
        return Optional.empty();
      }
    }
    throw new ContentException(
        file + ": symlink loop (or over " + MAX_LINK_HOPS + " links) resolving " + name, "the archive is malformed");
  }

  /** Where the data of a regular entry lies in the archive file. */
  public Optional<FileRegion> region(String name) {
    return regularFile(name).map(e -> new FileRegion(file, e.dataOffset(), e.size()));
  }

  public boolean contains(String name) {
    return regularFile(name).isPresent();
  }

  /** Size of a regular entry, following links. */
  public long size(String name) {
    return require(name).size();
  }

  /** Streams the data of a regular entry. */
  public Flux<ByteBuffer> read(String name) {
    return Flux.defer(
        () -> {
          Entry entry = require(name);
          return Blobs.readRegion(file, entry.dataOffset(), entry.size());
        });
  }

  /** Reads a small entry whole (metadata such as JSON), refusing anything over {@code limit}. */
  public Mono<byte[]> readSmall(String name, int limit) {
    return Mono.defer(
        () -> {
          Entry entry = require(name);
          if (entry.size() > limit) {
            return Mono.error(
                new ContentException(
                    file + ": entry " + name + " is " + entry.size() + " bytes, over the " + limit + " byte limit",
                    "the archive is malformed or hostile"));
          }
          return read(name)
              .reduce(
                  new java.io.ByteArrayOutputStream((int) entry.size()),
                  (out, buf) -> {
                    out.write(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
                    return out;
                  })
              .map(java.io.ByteArrayOutputStream::toByteArray);
        });
  }

  private Entry require(String name) {
    return regularFile(name).orElseThrow(() -> missing(name, "the archive is incomplete or not of the expected kind"));
  }

  /**
   * The error for an entry the archive lacks: a truncation where the archive also lacks its end
   * marker (a copy cut between entries), otherwise {@code hint}.
   */
  public ContentException missing(String name, String hint) {
    if (unterminated) {
      return new ContentException(
          file + " has no entry " + name + " and ends without the tar end-of-archive records: it is probably truncated",
          "copy the archive again from its source");
    }
    return new ContentException(file + " has no entry " + name, hint);
  }

  private String resolveLink(String from, String target, boolean relativeToDir) {
    if (target == null || target.isEmpty()) {
      throw new ContentException(file + ": link " + from + " has no target", "the archive is damaged");
    }
    if (target.startsWith("/")) {
      throw new ContentException(
          file + ": link " + from + " points outside the archive (" + target + ")",
          "the archive is malformed or hostile; re-create it with docker save or skopeo");
    }
    String base = "";
    if (relativeToDir) {
      int slash = from.lastIndexOf('/');
      base = slash < 0 ? "" : from.substring(0, slash + 1);
    }
    return normalize(base + target, file);
  }

  /**
   * Normalises an entry path: drops {@code ./} and empty segments, resolves {@code ..} and rejects
   * anything that climbs out of the archive or is absolute.
   */
  static String normalize(String name, Path file) {
    if (name.startsWith("/")) {
      throw escapes(name, file);
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw escapes(name, file);
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static ContentException escapes(String name, Path file) {
    return new ContentException(
        file + ": entry path '" + name + "' leaves the archive",
        "the archive is malformed or hostile; do not use it");
  }
}
