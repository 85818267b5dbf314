package dev.diffah.transport.dir;

import dev.diffah.io.Blobs;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.transport.oci.LayoutSink;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.HashSet;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Writes an image as a {@code dir:} directory: version, blobs by hex digest, manifest.json verbatim. */
final class DirDestination implements ImageDestination {
  private final ImageReference reference;
  private final LayoutSink sink;
  private final Set<Digest> written = new HashSet<>();
  private boolean manifestWritten;

  private DirDestination(ImageReference reference, LayoutSink sink) {
    this.reference = reference;
    this.sink = sink;
  }

  /** Starts the directory in the sink {@code begin} reserves; closes it again if that fails. */
  static Mono<ImageDestination> open(ImageReference reference, Mono<LayoutSink> begin) {
    return begin.flatMap(
        sink ->
            sink.putFile(DirLayout.VERSION_FILE, DirLayout.VERSION.length, Blobs.of(DirLayout.VERSION))
                .thenReturn((ImageDestination) new DirDestination(reference, sink))
                .doOnError(e -> sink.close()));
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  /** Writes a blob once; a digest already written is skipped. */
  @Override
  public Mono<Void> putBlob(Descriptor descriptor, Flux<ByteBuffer> content) {
    return writeOnce(descriptor, name -> sink.putFile(name, descriptor.size(), content));
  }

  @Override
  public Mono<Void> putBlobRegion(Descriptor descriptor, FileRegion region, Flux<ByteBuffer> verified, Consumer<FileRegion> landed) {
    return writeOnce(descriptor, name -> sink.putRegion(name, region, verified, landed));
  }

  private Mono<Void> writeOnce(Descriptor descriptor, java.util.function.Function<String, Mono<Void>> write) {
    return Mono.defer(
        () -> {
          if (written.contains(descriptor.digest())) {
            return Mono.empty();
          }
          return write.apply(DirLayout.blobName(descriptor.digest())).doOnSuccess(done -> written.add(descriptor.digest()));
        });
  }

  @Override
  public Mono<Void> putManifest(RawManifest manifest) {
    return Mono.defer(
        () -> {
          if (manifestWritten) {
            return Mono.error(new IllegalStateException(reference + ": manifest already written"));
          }
          return sink.putFile(DirLayout.MANIFEST_FILE, manifest.size(), Blobs.of(manifest.bytes()))
              .doOnSuccess(done -> manifestWritten = true);
        });
  }

  @Override
  public Mono<Void> commit() {
    return Mono.defer(
        () ->
            manifestWritten
                ? sink.commit()
                : Mono.error(new IllegalStateException(reference + ": commit before the manifest was written")));
  }

  @Override
  public void close() {
    sink.close();
  }
}
