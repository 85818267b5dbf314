package dev.diffah.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The only two ways import ever changes a manifest, both asked for explicitly: converting Docker
 * media types to OCI, and naming baseline layers that replace target layers of the same content.
 * Field order and every other value are kept; the digest changes.
 */
final class ManifestRewrite {
  private ManifestRewrite() {}

  static boolean isDocker(RawManifest manifest) {
    return MediaTypes.DOCKER_MANIFEST.equals(manifest.mediaType());
  }

  /** Docker schema 2 media types become their OCI equivalents. */
  static RawManifest toOci(RawManifest manifest) {
    return rewrite(
        manifest,
        root -> {
          root.put("mediaType", MediaTypes.OCI_MANIFEST);
          convertMediaType(root.get("config"));
          root.withArray("layers").forEach(ManifestRewrite::convertMediaType);
        });
  }

  /**
   * Layers whose digest is a key of {@code substitutes} are replaced by the baseline blob holding
   * the same content, with that blob's digest, size and media type (in the manifest's own family).
   */
  static RawManifest substitute(RawManifest manifest, Map<Digest, Descriptor> substitutes) {
    boolean oci = !isDocker(manifest);
    return rewrite(
        manifest,
        root -> {
          for (JsonNode layer : root.withArray("layers")) {
            Descriptor with = substitutes.get(Digest.parse(layer.path("digest").asText()));
            if (with != null) {
              ((ObjectNode) layer)
                  .put("mediaType", oci ? MediaTypes.toOci(with.mediaType()) : MediaTypes.toDocker(with.mediaType()))
                  .put("digest", with.digest().toString())
                  .put("size", with.size());
            }
          }
        });
  }

  private static RawManifest rewrite(RawManifest manifest, Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(manifest.bytes());
      change.accept(root);
      return RawManifest.of(Json.MAPPER.writeValueAsBytes(root), null);
    } catch (IOException | ClassCastException e) {
      throw new ContentException(
          "cannot rewrite manifest " + manifest.digest() + ": " + e.getMessage(),
          "import into docker-archive instead, which needs no rewrite",
          e);
    }
  }

  private static void convertMediaType(JsonNode node) {
    if (node instanceof ObjectNode obj && obj.hasNonNull("mediaType")) {
      obj.put("mediaType", MediaTypes.toOci(obj.get("mediaType").asText()));
    }
  }
}
