package dev.diffah.archive;

import com.github.luben.zstd.ZstdOutputStream;
import dev.diffah.error.IoErrors;
import dev.diffah.io.BlobSupply;
import dev.diffah.io.OrderedFetch;
import dev.diffah.io.Resources;
import dev.diffah.io.TarWriter;
import dev.diffah.model.Descriptor;
import dev.diffah.model.RawManifest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a delta archive in its fixed order: sidecar, version marker, manifest, config, then the
 * shipped blobs in manifest order. The same inputs always give the same bytes.
 */
public final class DeltaArchiveWriter {
  private static final int ZSTD_LEVEL = 3;
  private static final int BUFFER = 1 << 20;

  private DeltaArchiveWriter() {}

  /**
   * What goes into one delta. {@code blobs} supplies the shipped blobs; over a network up to
   * {@code jobs} are fetched at once (spooled beside the archive until their turn).
   */
  public record Contents(
      Sidecar sidecar,
      RawManifest manifest,
      Descriptor config,
      byte[] configBytes,
      List<Descriptor> shipped,
      BlobSupply blobs,
      int jobs) {}

  /** Writes {@code contents} to {@code file} (which is replaced). */
  public static Mono<Void> write(Path file, Compression compression, Contents contents) {
    return Resources.using(
        Mono.fromCallable(() -> open(file, compression)).subscribeOn(Schedulers.boundedElastic()),
        tar -> writeEntries(tar, contents, spoolDir(file)))
        .onErrorMap(t -> IoErrors.translate("writing delta " + file, t));
  }

  private static Path spoolDir(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  private static Mono<Void> writeEntries(TarWriter tar, Contents c, Path spoolDir) {
    List<Descriptor> blobs = c.shipped().stream().filter(d -> !d.digest().equals(c.config().digest())).toList();
    String configEntry = DeltaLayout.blobEntry(c.config().digest());
    return tar.putFile(DeltaLayout.SIDECAR, c.sidecar().toJson())
        .then(tar.putFile(DeltaLayout.VERSION, DeltaLayout.VERSION_TEXT.getBytes(StandardCharsets.US_ASCII)))
        .then(tar.putFile(DeltaLayout.MANIFEST, c.manifest().bytes()))
        .then(tar.putFile(configEntry, c.configBytes()))
        .thenMany(putBlobs(tar, c, blobs, spoolDir))
        .flatMap(BlobSupply.Copy::verify, BlobSupply.VERIFIERS)
        .then(tar.finish());
  }

  /**
   * Blobs fetched over a network stream in, several at once; local ones are copied by the kernel
   * where they can be and verified afterwards, so hashing the next runs beside copying the one after.
   */
  private static Flux<BlobSupply.Copy> putBlobs(TarWriter tar, Contents c, List<Descriptor> blobs, Path spoolDir) {
    if (c.jobs() > 1) {
      return OrderedFetch.fetch(blobs, c.blobs()::content, c.jobs(), spoolDir)
          .concatMap(
              f -> tar.putFile(DeltaLayout.blobEntry(f.descriptor().digest()), f.descriptor().size(), f.content()).doFinally(signal -> f.release()),
              0)
          .thenMany(Flux.empty());
    }
    return Flux.fromIterable(blobs).concatMap(d -> putBlob(tar, d, c.blobs()), 0);
  }

  private static Flux<BlobSupply.Copy> putBlob(TarWriter tar, Descriptor d, BlobSupply supply) {
    String entry = DeltaLayout.blobEntry(d.digest());
    return supply
        .region(d)
        .filter(region -> tar.copiesRegion(entry, region.length()))
        .map(region -> supply.copying(d, landed -> tar.putRegion(entry, region, landed)))
        .orElseGet(() -> tar.putFile(entry, d.size(), supply.content(d)).thenMany(Flux.empty()));
  }

  private static TarWriter open(Path file, Compression compression) throws IOException {
    if (compression == Compression.ZSTD) {
      ZstdOutputStream zstd = new ZstdOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
      zstd.setLevel(ZSTD_LEVEL);
      return new TarWriter(zstd);
    }
    return TarWriter.toFile(file, BUFFER);
  }
}
