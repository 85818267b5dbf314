package dev.diffah.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.diffah.error.ContentException;
import java.util.Map;

/** What a manifest says of one blob: its media type, digest and size (plus optional extras). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"mediaType", "digest", "size", "platform", "annotations"})
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty(value = "digest", required = true) Digest digest,
    @JsonProperty(value = "size", required = true) long size,
    @JsonProperty("platform") Platform platform,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public Descriptor {
    if (digest == null) {
      throw new ContentException("descriptor without a digest", "the manifest is malformed");
    }
    if (size < 0) {
      throw new ContentException(
          "descriptor " + digest + " has a negative size " + size, "the manifest is malformed");
    }
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null);
  }

  public Descriptor withMediaType(String newMediaType) {
    return new Descriptor(newMediaType, digest, size, platform, annotations);
  }
}
