package dev.diffah.io;

import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A plain tar file indexed once: entry names mapped to where their data lies, so any entry can be
 * streamed with random access and nothing is extracted. Names are normalised ({@code ./} dropped);
 * names that would leave the archive are rejected.
 */
public final class TarIndex {
  private static final int MAX_LINK_HOPS = 16;

  private final Path file;
  private final Map<String, TarArchiveEntry> entries;
  private final List<String> order;

  private TarIndex(Path file, Map<String, TarArchiveEntry> entries, List<String> order) {
    this.file = file;
    this.entries = entries;
    this.order = order;
  }

  /** Reads the tar headers of {@code file} (blocking). */
  public static TarIndex open(Path file) {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    try (TarFile tar = new TarFile(file)) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        String name = normalize(entry.getName(), file);
        if (name.isEmpty()) {
          continue;
        }
        if (entry.isSparse()) {
          throw new ContentException(
              file + ": sparse tar entry " + name + " is not supported", "write the archive without sparse files");
        }
        entries.put(name, entry);
        order.add(name);
      }
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
    return new TarIndex(file, entries, Collections.unmodifiableList(order));
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

  /** The regular file at {@code name}, following symlinks and hard links inside the archive. */
  public Optional<TarArchiveEntry> regularFile(String name) {
    String current = normalize(name, file);
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      TarArchiveEntry entry = entries.get(current);
      if (entry == null) {
        return Optional.empty();
      }
      if (entry.isSymbolicLink()) {
        current = resolveLink(current, entry.getLinkName(), true);
      } else if (entry.isLink()) {
        current = resolveLink(current, entry.getLinkName(), false);
      } else if (entry.isFile()) {
        return Optional.of(entry);
      } else {
        return Optional.empty();
      }
    }
    throw new ContentException(
        file + ": symlink loop (or over " + MAX_LINK_HOPS + " links) resolving " + name, "the archive is malformed");
  }

  public boolean contains(String name) {
    return regularFile(name).isPresent();
  }

  /** Size of a regular entry, following links. */
  public long size(String name) {
    return require(name).getSize();
  }

  /** Streams the data of a regular entry. */
  public Flux<ByteBuffer> read(String name) {
    return Flux.defer(
        () -> {
          TarArchiveEntry entry = require(name);
          return Blobs.readRegion(file, entry.getDataOffset(), entry.getSize());
        });
  }

  /** Reads a small entry whole (metadata such as JSON), refusing anything over {@code limit}. */
  public Mono<byte[]> readSmall(String name, int limit) {
    return Mono.defer(
        () -> {
          TarArchiveEntry entry = require(name);
          if (entry.getSize() > limit) {
            return Mono.error(
                new ContentException(
                    file + ": entry " + name + " is " + entry.getSize() + " bytes, over the " + limit + " byte limit",
                    "the archive is malformed or hostile"));
          }
          return read(name)
              .reduce(
                  new java.io.ByteArrayOutputStream((int) entry.getSize()),
                  (out, buf) -> {
                    out.write(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
                    return out;
                  })
              .map(java.io.ByteArrayOutputStream::toByteArray);
        });
  }

  private TarArchiveEntry require(String name) {
    return regularFile(name)
        .orElseThrow(
            () ->
                new ContentException(
                    file + " has no entry " + name, "the archive is incomplete or not of the expected kind"));
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
