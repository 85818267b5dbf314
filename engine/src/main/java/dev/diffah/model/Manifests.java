package dev.diffah.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.error.ContentException;
import java.io.IOException;
import java.util.List;

/** Parses raw manifest bytes into the typed views the engine works with. */
public final class Manifests {
  private Manifests() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Document(
      @JsonProperty("schemaVersion") Integer schemaVersion,
      @JsonProperty("mediaType") String mediaType,
      @JsonProperty("config") Descriptor config,
      @JsonProperty("layers") List<Descriptor> layers,
      @JsonProperty("manifests") List<Descriptor> manifests) {}

  /** Parses an image manifest; an index or anything else is a content error. */
  public static ImageManifest image(RawManifest raw, String where) {
    Document doc = parse(raw, where);
    if (!MediaTypes.isImageManifest(raw.mediaType()) || doc.config() == null) {
      throw new ContentException(
          where + ": expected an image manifest, found " + describe(raw.mediaType()),
          "point the reference at a single image manifest");
    }
    List<Descriptor> layers = doc.layers() == null ? List.of() : doc.layers();
    return new ImageManifest(raw, doc.config(), layers);
  }

  public static ManifestIndex index(RawManifest raw, String where) {
    Document doc = parse(raw, where);
    if (!raw.isIndex() || doc.manifests() == null) {
      throw new ContentException(
          where + ": expected a manifest list or image index, found " + describe(raw.mediaType()),
          "check the reference");
    }
    return new ManifestIndex(raw, doc.manifests());
  }

  /** Reads an image config blob. */
  public static ImageConfig config(byte[] bytes, String where) {
    try {
      return Json.MAPPER.readValue(bytes, ImageConfig.class);
    } catch (IOException | RuntimeException e) {
      throw malformed(where + " image config", e);
    }
  }

  static String mediaTypeOf(byte[] bytes, String declared) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw malformed("manifest", e);
    }
    if (node == null || !node.isObject()) {
      throw new ContentException("manifest is not a JSON object", "the manifest is malformed");
    }
    JsonNode inner = node.get("mediaType");
    if (inner != null && inner.isTextual() && !inner.asText().isEmpty()) {
      return inner.asText();
    }
    if (declared != null && !declared.isEmpty()) {
      return declared;
    }
    if (node.has("manifests")) {
      return MediaTypes.OCI_INDEX;
    }
    if (node.has("config") && node.has("layers")) {
      return MediaTypes.OCI_MANIFEST;
    }
    throw new ContentException(
        "manifest has no mediaType and no recognisable shape",
        "only Docker schema 2 and OCI manifests are supported");
  }

  private static Document parse(RawManifest raw, String where) {
    Document doc;
    try {
      doc = Json.MAPPER.readValue(raw.bytes(), Document.class);
    } catch (IOException | RuntimeException e) {
      throw malformed(where + " manifest", e);
    }
    if (doc.schemaVersion() == null || doc.schemaVersion() != 2) {
      throw new ContentException(
          where + ": unsupported manifest schemaVersion " + doc.schemaVersion(),
          "only schema 2 (Docker) and OCI manifests are supported; convert the image with skopeo first");
    }
    return doc;
  }

  private static String describe(String mediaType) {
    return mediaType == null ? "a document without mediaType" : mediaType;
  }

  private static ContentException malformed(String what, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ContentException ce) {
      return new ContentException(what + ": " + ce.getMessage(), ce.hint(), e);
    }
    String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = detail.indexOf('\n');
    return new ContentException(
        what + " is malformed JSON: " + (nl > 0 ? detail.substring(0, nl) : detail),
        "the input is damaged or not an image",
        e);
  }
}
