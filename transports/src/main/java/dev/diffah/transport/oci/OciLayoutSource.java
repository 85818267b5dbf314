package dev.diffah.transport.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Json;
import dev.diffah.model.ManifestIndex;
import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import java.io.IOException;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** Reads one image (or image index) of an OCI layout, wherever its files come from. */
final class OciLayoutSource extends LayoutBlobSource {
  private final ImageReference reference;
  private final Descriptor selected;

  private OciLayoutSource(ImageReference reference, LayoutBlobs blobs, Descriptor selected) {
    super(blobs);
    this.reference = reference;
    this.selected = selected;
  }

  /** Checks the layout, reads index.json and selects the entry {@code ref} names. */
  static Mono<ImageSource> open(ImageReference reference, LayoutFiles files, Optional<String> ref) {
    String where = reference.toString();
    LayoutBlobs blobs = new LayoutBlobs(files, where, OciLayout::blobPath);
    return checkLayoutVersion(files, where)
        .then(readIndex(files, where))
        .map(index -> new OciLayoutSource(reference, blobs, RefSelector.select(index.manifests(), ref, where)));
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public Mono<RawManifest> manifest() {
    return blobs.manifest(selected);
  }

  @Override
  public Mono<RawManifest> manifest(Descriptor descriptor) {
    return blobs.manifest(descriptor);
  }

  @Override
  public Optional<String> imageName() {
    return RefSelector.refName(selected);
  }

  @Override
  public void close() {
    // files are opened per read; nothing is held between reads
  }

  private static Mono<Void> checkLayoutVersion(LayoutFiles files, String where) {
    return files
        .readSmall(OciLayout.LAYOUT_FILE, Json.MAX_DOCUMENT_BYTES)
        .onErrorMap(ContentException.class, e -> notALayout(where, e.getMessage()))
        .map(bytes -> layoutVersion(bytes, where))
        .then();
  }

  private static String layoutVersion(byte[] bytes, String where) {
    JsonNode version;
    try {
      version = Json.MAPPER.readTree(bytes).path("imageLayoutVersion");
    } catch (IOException e) {
      throw notALayout(where, "oci-layout is not JSON");
    }
    if (!version.isTextual() || version.asText().isEmpty()) {
      throw notALayout(where, "oci-layout has no imageLayoutVersion");
    }
    return version.asText();
  }

  private static Mono<ManifestIndex> readIndex(LayoutFiles files, String where) {
    String what = where + " " + OciLayout.INDEX_FILE;
    return files
        .readSmall(OciLayout.INDEX_FILE, Json.MAX_DOCUMENT_BYTES)
        .map(bytes -> Manifests.index(LayoutBlobs.parse(bytes, MediaTypes.OCI_INDEX, what), what));
  }

  private static ContentException notALayout(String where, String why) {
    return new ContentException(
        where + " is not an OCI image layout: " + why,
        "point the reference at a directory or archive written by skopeo, buildah, docker or diffah");
  }
}
