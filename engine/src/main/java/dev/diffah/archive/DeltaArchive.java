package dev.diffah.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import dev.diffah.io.Resources;
import dev.diffah.io.TempFiles;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.FileRegion;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A delta archive opened for import: indexed once for random access (a compressed delta is
 * decompressed once into a temporary file), with its sidecar and manifest validated.
 */
public final class DeltaArchive implements AutoCloseable {
  private final Path file;
  private final TarIndex index;
  private final Path spool;
  private final Sidecar sidecar;
  private final ImageManifest manifest;

  private DeltaArchive(Path file, TarIndex index, Path spool, Sidecar sidecar, ImageManifest manifest) {
    this.file = file;
    this.index = index;
    this.spool = spool;
    this.sidecar = sidecar;
    this.manifest = manifest;
  }

  /** Opens the delta at {@code file}, runs {@code body} with it and always releases it. */
  public static <T> Mono<T> with(Path file, Function<DeltaArchive, Mono<T>> body) {
    return Resources.using(
        open(file),
        body);
  }

  private static Mono<DeltaArchive> open(Path file) {
    return DeltaHead.read(file)
        .flatMap(head -> Mono.fromCallable(() -> index(head)).subscribeOn(Schedulers.boundedElastic()))
        .onErrorMap(t -> IoErrors.translate("opening delta " + file, t));
  }

  private static DeltaArchive index(DeltaHead head) throws IOException {
    Path spool = head.compression() == Compression.ZSTD ? decompress(head.file()) : null;
    try {
      TarIndex index = TarIndex.open(spool == null ? head.file() : spool);
      ImageManifest manifest = Manifests.image(head.manifest(), head.file() + " manifest.json");
      DeltaArchive archive = new DeltaArchive(head.file(), index, spool, head.sidecar(), manifest);
      archive.checkComplete();
      return archive;
    } catch (RuntimeException e) {
      if (spool != null) {
        TempFiles.delete(spool);
      }
      throw e;
    }
  }

  private static Path decompress(Path file) throws IOException {
    Path spool = TempFiles.createFile(null, "diffah-delta-", ".tar");
    try (InputStream in = new ZstdInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
      return spool;
    } catch (IOException | RuntimeException e) {
      TempFiles.delete(spool);
      if (e instanceof com.github.luben.zstd.ZstdIOException) {
        throw new ContentException(file + ": damaged zstd stream: " + e.getMessage(), "copy or export the delta again", e);
      }
      throw e;
    }
  }

  /** Every blob the sidecar says is shipped, and the config, must be present with the right size. */
  private void checkComplete() {
    requireEntry(manifest.config());
    for (Sidecar.Blob blob : sidecar.shippedInDelta()) {
      requireEntry(blob.descriptor());
    }
  }

  private void requireEntry(Descriptor d) {
    String name = DeltaLayout.blobEntry(d.digest());
    if (!index.contains(name) || index.size(name) != d.size()) {
      throw new ContentException(
          file + ": delta lacks blob " + d.digest() + " (" + d.size() + " bytes) that its manifest or sidecar names",
          "the delta is incomplete or damaged; export it again");
    }
  }

  public Path file() {
    return file;
  }

  public Sidecar sidecar() {
    return sidecar;
  }

  public ImageManifest manifest() {
    return manifest;
  }

  public RawManifest rawManifest() {
    return manifest.raw();
  }

  /** Whether the delta carries this blob. */
  public boolean ships(Descriptor d) {
    return index.contains(DeltaLayout.blobEntry(d.digest()));
  }

  /** The raw (unverified) bytes of a blob the delta carries. */
  public Flux<ByteBuffer> blob(Descriptor d) {
    return index.read(DeltaLayout.blobEntry(d.digest()));
  }

  /** Where a blob the delta carries lies in its (uncompressed) tar file. */
  public Optional<FileRegion> region(Descriptor d) {
    return index.region(DeltaLayout.blobEntry(d.digest()));
  }

  /** The config bytes, read whole (configs are small). */
  public Mono<byte[]> configBytes() {
    return index.readSmall(DeltaLayout.blobEntry(manifest.config().digest()), Json.MAX_DOCUMENT_BYTES);
  }

  @Override
  public void close() {
    if (spool != null) {
      TempFiles.delete(spool);
    }
  }
}
