package dev.diffah.io;

import dev.diffah.model.Descriptor;
import dev.diffah.spi.FileRegion;
import dev.diffah.telemetry.Telemetry;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

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

  /**
   * Puts a blob by a copy in the kernel: {@code copy} copies it, handing each piece that landed to
   * the consumer it is given. Emits, before the copy starts, the {@link Copy} whose verification
   * reads those pieces as they land, then completes when the copy has. A copy that lands no piece
   * (the destination streamed {@link #content} instead, or already held the blob) has nothing left
   * to verify.
   */
  public Flux<Copy> copying(Descriptor blob, Function<Consumer<FileRegion>, Mono<Void>> copy) {
    return Flux.defer(
        () -> {
          Sinks.Many<FileRegion> landed = Sinks.many().unicast().onBackpressureBuffer();
          Mono<Void> copied =
              copy.apply(landed::tryEmitNext).doOnSuccess(done -> landed.tryEmitComplete()).doOnError(landed::tryEmitError);
          return Flux.concat(Mono.just(new Copy(blob, landed.asFlux(), this)), copied.then(Mono.empty()));
        });
  }

  private Mono<Void> verifyPieces(Descriptor blob, Flux<FileRegion> pieces) {
    Flux<ByteBuffer> bytes = pieces.concatMap(piece -> Blobs.scanRegion(piece.file(), piece.offset(), piece.length()));
    return telemetry.track(Blobs.verify(bytes, blob, where), blob, label).then();
  }

  @Override
  public String toString() {
    return label;
  }

  /** A blob being copied by the kernel: its pieces as they land in the output, still to be verified. */
  public record Copy(Descriptor blob, Flux<FileRegion> pieces, BlobSupply supply) {
    /** Reads every piece once as it lands and checks them together against the descriptor. */
    public Mono<Void> verify() {
      return pieces
          .switchOnFirst((first, all) -> first.hasValue() ? supply.verifyPieces(blob, all) : Mono.<Void>empty())
          .then();
    }
  }
}
