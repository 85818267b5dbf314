package dev.diffah.transport.oci;

import dev.diffah.io.Blobs;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes one image as an OCI layout into a {@link LayoutSink}. Files go out in a fixed order —
 * oci-layout, blob directories, blobs in put order, the manifest blob, index.json last — so an
 * archive of the same image is always the same bytes.
 */
final class OciLayoutDestination implements ImageDestination {
  private final ImageReference reference;
  private final LayoutSink sink;
  private final Optional<String> refName;
  private final Set<Digest> written = new HashSet<>();
  private final Set<String> directories = new HashSet<>();
  private Descriptor manifest;

  private OciLayoutDestination(ImageReference reference, LayoutSink sink, Optional<String> refName) {
    this.reference = reference;
    this.sink = sink;
    this.refName = refName;
  }

  /**
   * Starts a layout in the sink {@code begin} reserves; the index entry will be annotated with
   * {@code refName}. The sink is closed again if the start fails.
   */
  static Mono<ImageDestination> open(ImageReference reference, Mono<LayoutSink> begin, Optional<String> refName) {
    return begin.flatMap(
        sink ->
            sink.putFile(OciLayout.LAYOUT_FILE, OciLayout.layoutBytes().length, Blobs.of(OciLayout.layoutBytes()))
                .then(sink.putDirectory(OciLayout.BLOBS_DIR))
                .thenReturn((ImageDestination) new OciLayoutDestination(reference, sink, refName))
                .doOnError(e -> sink.close()));
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public Mono<Void> putBlob(Descriptor descriptor, Flux<ByteBuffer> content) {
    return Mono.defer(() -> writeBlob(descriptor.digest(), name -> sink.putFile(name, descriptor.size(), content)));
  }

  @Override
  public Mono<Void> putBlobRegion(Descriptor descriptor, FileRegion region, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
    return Mono.defer(() -> writeBlob(descriptor.digest(), name -> sink.putRegion(name, region, verified, landed)));
  }

  @Override
  public Mono<Void> putManifest(RawManifest raw) {
    return Mono.defer(
        () -> {
          if (manifest != null) {
            return Mono.error(new IllegalStateException(reference + ": manifest already written"));
          }
          return writeBlob(raw.digest(), name -> sink.putFile(name, raw.size(), Blobs.of(raw.bytes())))
              .doOnSuccess(done -> manifest = raw.descriptor());
        });
  }

  @Override
  public Mono<Void> commit() {
    return Mono.defer(
        () -> {
          if (manifest == null) {
            return Mono.error(new IllegalStateException(reference + ": commit before the manifest was written"));
          }
          byte[] index = OciLayout.indexBytes(manifest, refName.orElse(null));
          return sink.putFile(OciLayout.INDEX_FILE, index.length, Blobs.of(index))
              .then(sink.commit());
        });
  }

  @Override
  public void close() {
    sink.close();
  }

  /** Writes a blob once; a digest already written (a layer repeated, say) is skipped. */
  private Mono<Void> writeBlob(Digest digest, java.util.function.Function<String, Mono<Void>> write) {
    if (written.contains(digest)) {
      return Mono.empty();
    }
    String dir = OciLayout.algorithmDir(digest);
    Mono<Void> makeDir = directories.contains(dir) ? Mono.empty() : sink.putDirectory(dir).doOnSuccess(done -> directories.add(dir));
    return makeDir
        .then(write.apply(OciLayout.blobPath(digest)))
        .doOnSuccess(done -> written.add(digest));
  }
}
