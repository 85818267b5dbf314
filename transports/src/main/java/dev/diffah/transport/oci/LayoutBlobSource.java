package dev.diffah.transport.oci;

import dev.diffah.model.Descriptor;
import dev.diffah.spi.FileRegion;
import dev.diffah.spi.ImageSource;
import java.nio.ByteBuffer;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The blob half of a source over layout files, shared by {@code oci:}, {@code oci-archive:} and {@code dir:}. */
public abstract class LayoutBlobSource implements ImageSource {
  protected final LayoutBlobs blobs;

  protected LayoutBlobSource(LayoutBlobs blobs) {
    this.blobs = blobs;
  }

  @Override
  public Flux<ByteBuffer> blob(Descriptor descriptor) {
    return blobs.blob(descriptor);
  }

  @Override
  public Optional<FileRegion> blobRegion(Descriptor descriptor) {
    return blobs.blobRegion(descriptor);
  }

  @Override
  public Mono<Boolean> hasBlob(Descriptor descriptor) {
    return blobs.hasBlob(descriptor);
  }
}
