package dev.diffah.io;

import dev.diffah.model.Descriptor;
import dev.diffah.spi.FileRegion;
import dev.diffah.telemetry.Telemetry;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The blobs of one source as a writer consumes them: streamed and verified as they flow, or, where
 * they lie in a local file, copied by the kernel and then verified by reading the copy once. Every
 * byte verified counts in telemetry under the source's label.
 */
public final class BlobSupply {
  /** Copies verified at once: hashing is what costs CPU, so one per core. */
  public static final int VERIFIERS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private final Function<Descriptor, Flux<ByteBuffer>> raw;
  private final Function<Descriptor, Optional<FileRegion>> regions;
  private final String where;
  private final String label;
  private final Telemetry telemetry;

  /**
   * @param raw the source's unverified bytes of a blob
   * @param regions where a blob lies in a local file, if it does
   * @param where the source, for error messages
   * @param label the source, for metrics and progress
   */
  public BlobSupply(
      Function<Descriptor, Flux<ByteBuffer>> raw,
      Function<Descriptor, Optional<FileRegion>> regions,
      String where,
      String label,
      Telemetry telemetry) {
    this.raw = raw;
    this.regions = regions;
    this.where = where;
    this.label = label;
    this.telemetry = telemetry;
  }

  /** The blob's bytes, checked against its descriptor while they stream. */
  public Flux<ByteBuffer> content(Descriptor blob) {
    return telemetry.track(Blobs.verify(raw.apply(blob), blob, where), blob, label);
  }

  /** Where the blob's bytes lie in a local file, for a copy in the kernel. */
  public Optional<FileRegion> region(Descriptor blob) {
    return regions.apply(blob);
  }

  /** Checks a copy made by the kernel against the descriptor, reading it once. */
  public Mono<Void> verifyCopy(Descriptor blob, FileRegion copy) {
    Flux<ByteBuffer> bytes = Blobs.scanRegion(copy.file(), copy.offset(), copy.length());
    return telemetry.track(Blobs.verify(bytes, blob, where), blob, label).then();
  }

  @Override
  public String toString() {
    return label;
  }

  /** A blob copied by the kernel, and where its bytes now lie, still to be verified. */
  public record Copy(Descriptor blob, FileRegion region, BlobSupply supply) {
    public Mono<Void> verify() {
      return supply.verifyCopy(blob, region);
    }
  }
}
