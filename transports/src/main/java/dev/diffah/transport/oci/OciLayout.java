package dev.diffah.transport.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import java.util.List;
import java.util.Map;

/** The fixed names and documents of an OCI image layout. */
final class OciLayout {
  static final String LAYOUT_FILE = "oci-layout";
  static final String INDEX_FILE = "index.json";
  static final String BLOBS_DIR = "blobs";
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final String LAYOUT_VERSION = "1.0.0";

  private OciLayout() {}

  /** {@code blobs/<algo>/<hex>}: safe as a path because a {@link Digest} is always well formed. */
  static String blobPath(Digest digest) {
    return algorithmDir(digest) + "/" + digest.hex();
  }

  static String algorithmDir(Digest digest) {
    return BLOBS_DIR + "/" + digest.algorithm();
  }

  @JsonPropertyOrder({"imageLayoutVersion"})
  record LayoutDocument(@JsonProperty("imageLayoutVersion") String imageLayoutVersion) {}

  @JsonPropertyOrder({"schemaVersion", "mediaType", "manifests"})
  record IndexDocument(
      @JsonProperty("schemaVersion") int schemaVersion,
      @JsonProperty("mediaType") String mediaType,
      @JsonProperty("manifests") List<Descriptor> manifests) {}

  static byte[] layoutBytes() {
    return write(new LayoutDocument(LAYOUT_VERSION));
  }

  /** An index.json with the single entry {@code manifest}, named {@code refName} when given. */
  static byte[] indexBytes(Descriptor manifest, String refName) {
    Map<String, String> annotations = refName == null ? Map.of() : Map.of(REF_NAME, refName);
    Descriptor entry = new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), null, annotations);
    return write(new IndexDocument(2, MediaTypes.OCI_INDEX, List.of(entry)));
  }

  private static byte[] write(Object document) {
    try {
      return Json.MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + document, e);
    }
  }
}
