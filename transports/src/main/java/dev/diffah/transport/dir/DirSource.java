package dev.diffah.transport.dir;

import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Json;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.transport.oci.LayoutBlobSource;
import dev.diffah.transport.oci.LayoutBlobs;
import dev.diffah.transport.oci.LayoutFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** Reads an image from a {@code dir:} directory. The layout records no image name. */
final class DirSource extends LayoutBlobSource {
  private final ImageReference reference;
  private final LayoutFiles files;

  private DirSource(ImageReference reference, LayoutFiles files) {
    super(new LayoutBlobs(files, reference.toString(), DirLayout::blobName));
    this.reference = reference;
    this.files = files;
  }

  /** Checks the version file, so a directory of something else fails early. */
  static Mono<ImageSource> open(ImageReference reference, LayoutFiles files) {
    return files
        .readSmall(DirLayout.VERSION_FILE, DirLayout.MAX_VERSION_BYTES)
        .onErrorMap(ContentException.class, e -> notADirImage(reference, e.getMessage()))
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .filter(version -> version.startsWith(DirLayout.VERSION_PREFIX))
        .switchIfEmpty(Mono.error(() -> notADirImage(reference, "unrecognised version file")))
        .thenReturn(new DirSource(reference, files));
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public Mono<RawManifest> manifest() {
    return files
        .readSmall(DirLayout.MANIFEST_FILE, Json.MAX_DOCUMENT_BYTES)
        .map(bytes -> LayoutBlobs.parse(bytes, null, reference + " " + DirLayout.MANIFEST_FILE));
  }

  @Override
  public Mono<RawManifest> manifest(Descriptor descriptor) {
    return blobs.manifest(descriptor, DirLayout.instanceManifestName(descriptor.digest()));
  }

  @Override
  public Optional<String> imageName() {
    return Optional.empty();
  }

  @Override
  public void close() {
    // files are opened per read; nothing is held between reads
  }

  private static ContentException notADirImage(ImageReference reference, String why) {
    return new ContentException(
        reference + " is not an image directory: " + why,
        "point dir: at a directory written by 'skopeo copy ... dir:PATH' or by diffah");
  }
}
