package dev.diffah.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import java.io.IOException;

/**
 * Rewrites a Docker schema 2 manifest to OCI media types for tools that accept only OCI. Field
 * order and every other value are kept; only the media types change (so the digest does).
 */
final class OciConversion {
  private OciConversion() {}

  static boolean applies(RawManifest manifest) {
    return MediaTypes.DOCKER_MANIFEST.equals(manifest.mediaType());
  }

  static RawManifest convert(RawManifest manifest) {
    try {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(manifest.bytes());
      root.put("mediaType", MediaTypes.OCI_MANIFEST);
      convertDescriptor(root.get("config"));
      for (JsonNode layer : root.withArray("layers")) {
        convertDescriptor(layer);
      }
      return RawManifest.of(Json.MAPPER.writeValueAsBytes(root), MediaTypes.OCI_MANIFEST);
    } catch (IOException | ClassCastException e) {
      throw new ContentException("cannot convert manifest " + manifest.digest() + " to OCI: " + e.getMessage(), "import without --convert-oci", e);
    }
  }

  static Descriptor convert(Descriptor d) {
    return d.withMediaType(MediaTypes.toOci(d.mediaType()));
  }

  private static void convertDescriptor(JsonNode node) {
    if (node instanceof ObjectNode obj && obj.hasNonNull("mediaType")) {
      obj.put("mediaType", MediaTypes.toOci(obj.get("mediaType").asText()));
    }
  }
}
