package dev.diffah.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The first entries of a delta archive (sidecar and manifest), read by streaming only the head of
 * the file, so inspecting or checking a delta costs the same whatever its size.
 */
public record DeltaHead(Path file, long fileSize, Compression compression, Sidecar sidecar, RawManifest manifest) {
  private static final int HEAD_ENTRIES = 3;
  /** Headers of one entry (PAX records, long names) larger than this are hostile or broken. */
  private static final int MAX_HEADER_BYTES = 1 << 20;

  /** Reads and validates the head of the delta at {@code file}. */
  public static Mono<DeltaHead> read(Path file) {
    return Mono.fromCallable(() -> readBlocking(file))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(t -> IoErrors.translate("reading delta " + file, t));
  }

  private static DeltaHead readBlocking(Path file) throws IOException {
    if (file.toString().isEmpty() || Files.isDirectory(file)) {
      throw new dev.diffah.error.UsageException(
          "delta '" + file + "' is " + (file.toString().isEmpty() ? "an empty path" : "a directory"), "pass the path of a delta archive file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new dev.diffah.error.UsageException(
          "delta '" + file + "' is not a regular file (a pipe or device)", "save the delta to a file first and pass its path");
    }
    Compression compression = Compression.detect(file);
    long size = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      return readEntries(file, size, compression, raw);
    }
  }

  /** Past opening the file, every read failure means its bytes are damaged or cut short. */
  private static DeltaHead readEntries(Path file, long size, Compression compression, InputStream raw) {
    try (InputStream in = compression == Compression.ZSTD ? new ZstdInputStream(raw) : raw;
        ReadBudget budget = new ReadBudget(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(budget)) {
      Sidecar sidecar = null;
      byte[] manifest = null;
      for (int i = 0; i < HEAD_ENTRIES; i++) {
        budget.allow(MAX_HEADER_BYTES);
        TarArchiveEntry entry = nextEntry(tar, file);
        if (entry == null) {
          break;
        }
        if (i == 0 && !DeltaLayout.SIDECAR.equals(entry.getName())) {
          throw notADelta(file, "its first entry is '" + entry.getName() + "', not " + DeltaLayout.SIDECAR);
        }
        if (DeltaLayout.SIDECAR.equals(entry.getName())) {
          sidecar = Sidecar.parse(readSmall(tar, budget, entry, file), file.toString());
        } else if (DeltaLayout.MANIFEST.equals(entry.getName())) {
          manifest = readSmall(tar, budget, entry, file);
        }
      }
      if (sidecar == null) {
        throw notADelta(file, "it has no " + DeltaLayout.SIDECAR);
      }
      if (manifest == null) {
        throw new ContentException(
            file + ": delta has no " + DeltaLayout.MANIFEST + " after its sidecar", "the delta is damaged; export it again");
      }
      RawManifest target = RawManifest.of(manifest, sidecar.target().mediaType());
      checkManifest(file, sidecar, target);
      sidecar.checkAgainst(Manifests.image(target, file + " manifest.json"), file.toString());
      return new DeltaHead(file, size, compression, sidecar, target);
    } catch (IOException e) {
      throw new ContentException(
          file + " is damaged or truncated: " + e.getMessage(), "copy the delta again, or export it again", e);
    }
  }

  /** The shipped manifest must be exactly the one the sidecar names. */
  static void checkManifest(Path file, Sidecar sidecar, RawManifest manifest) {
    if (!manifest.digest().equals(sidecar.target().manifestDigest())
        || manifest.size() != sidecar.target().manifestSize()) {
      throw new ContentException(
          file + ": manifest.json (" + manifest.digest() + ", " + manifest.size() + " bytes) is not the target "
              + sidecar.target().manifestDigest() + " named in " + DeltaLayout.SIDECAR,
          "the delta is damaged or was altered; export it again");
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Path file) {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException e) {
      if (endedEarly(e)) {
        throw new ContentException(
            file + " ends before its entries do (" + e.getMessage() + ")", "the delta is truncated or damaged; copy it again");
      }
      throw notADelta(file, "it is not a readable tar archive (" + e.getMessage() + ")");
    }
  }

  /** A stream that stopped short (a cut tar, a cut zstd frame) rather than one of another kind. */
  private static boolean endedEarly(Exception e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    return e instanceof java.io.EOFException || message.contains("truncated") || message.contains("premature end");
  }

  private static byte[] readSmall(TarArchiveInputStream tar, ReadBudget budget, TarArchiveEntry entry, Path file) throws IOException {
    if (entry.getSize() > Json.MAX_DOCUMENT_BYTES) {
      throw new ContentException(
          file + ": " + entry.getName() + " is " + entry.getSize() + " bytes, over the metadata limit",
          "the delta is malformed or hostile");
    }
    budget.allow(entry.getSize() + 512);
    byte[] bytes = tar.readNBytes((int) entry.getSize());
    if (bytes.length != entry.getSize()) {
      throw new ContentException(file + ": " + entry.getName() + " is truncated", "the delta is damaged; copy it again");
    }
    return bytes;
  }

  static ContentException notADelta(Path file, String why) {
    return new ContentException(
        file + " is not a diffah delta archive: " + why,
        "pass a file written by 'diffah export' (check the path)");
  }
}
