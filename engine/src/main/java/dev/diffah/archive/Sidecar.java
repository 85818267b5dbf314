package dev.diffah.archive;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Platform;
import dev.diffah.model.Json;
import dev.diffah.plan.DeltaPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code diffah.json}, the first entry of a delta archive: what the delta ships, what it needs from
 * the consumer's baseline, and which target it rebuilds.
 */
@JsonPropertyOrder({
  "version", "tool", "tool_version", "created_at", "platform", "target", "baseline",
  "required_from_baseline", "shipped_in_delta"
})
public record Sidecar(
    @JsonProperty("version") String version,
    @JsonProperty("tool") String tool,
    @JsonProperty("tool_version") String toolVersion,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("platform") String platform,
    @JsonProperty("target") Target target,
    @JsonProperty("baseline") Baseline baseline,
    @JsonProperty("required_from_baseline") List<Blob> requiredFromBaseline,
    @JsonProperty("shipped_in_delta") List<Blob> shippedInDelta) {

  public static final String FORMAT_VERSION = "v1";
  public static final String FILE_NAME = "diffah.json";

  @JsonPropertyOrder({"manifest_digest", "manifest_size", "media_type", "source_hint"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Target(
      @JsonProperty("manifest_digest") Digest manifestDigest,
      @JsonProperty("manifest_size") Long manifestSize,
      @JsonProperty("media_type") String mediaType,
      @JsonProperty("source_hint") String sourceHint) {}

  @JsonPropertyOrder({"manifest_digest", "media_type", "source_hint"})
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Baseline(
      @JsonProperty("manifest_digest") Digest manifestDigest,
      @JsonProperty("media_type") String mediaType,
      @JsonProperty("source_hint") String sourceHint) {}

  /**
   * One blob the delta ships or requires. {@code diff_id}, the digest of the layer's uncompressed
   * content, lets import take the layer from a baseline that holds it in another compression.
   */
  @JsonPropertyOrder({"digest", "size", "media_type", "diff_id"})
  public record Blob(
      @JsonProperty("digest") Digest digest,
      @JsonProperty("size") Long size,
      @JsonProperty("media_type") String mediaType,
      @JsonProperty("diff_id") @JsonInclude(JsonInclude.Include.NON_NULL) Digest diffId) {

    public static Blob of(DeltaPlan.PlannedLayer layer) {
      Descriptor d = layer.layer();
      return new Blob(d.digest(), d.size(), d.mediaType(), layer.diffId());
    }

    public Descriptor descriptor() {
      return Descriptor.of(mediaType, digest, size);
    }
  }

  public long shippedBytes() {
    return shippedInDelta.stream().mapToLong(Blob::size).sum();
  }

  public long requiredBytes() {
    return requiredFromBaseline.stream().mapToLong(Blob::size).sum();
  }

  /** Share of the target's layer bytes the delta does not carry, in percent. */
  public double savedPercent() {
    long total = shippedBytes() + requiredBytes();
    return total == 0 ? 0.0 : 100.0 * requiredBytes() / total;
  }

  public byte[] toJson() {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("sidecar serialisation failed", e);
    }
  }

  /** Parses and validates a sidecar; anything missing or unknown is a content error. */
  public static Sidecar parse(byte[] json, String where) {
    Sidecar s;
    try {
      if (!Json.MAPPER.readTree(json).isObject()) {
        throw new ContentException(where + ": " + FILE_NAME + " is not a JSON object", "the delta archive is damaged; export it again");
      }
      s = Json.MAPPER.readValue(json, Sidecar.class);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ContentException ce && ce.getMessage().startsWith(where)) {
        throw ce;
      }
      throw new ContentException(
          where + ": " + FILE_NAME + " is malformed: " + firstLine(e),
          "the delta archive is damaged; export it again",
          e);
    }
    s.validate(where);
    return s;
  }

  /**
   * The sidecar must describe the manifest it travels with: every distinct layer exactly once,
   * either shipped or required, with the manifest's size and media type.
   */
  public void checkAgainst(ImageManifest manifest, String where) {
    Map<Digest, Descriptor> layers = new LinkedHashMap<>();
    manifest.distinctLayers().forEach(d -> layers.put(d.digest(), d));
    Set<Digest> listed = new HashSet<>();
    for (Blob blob : concat(requiredFromBaseline, shippedInDelta)) {
      Descriptor layer = layers.get(blob.digest());
      String problem =
          !listed.add(blob.digest()) ? "lists " + blob.digest() + " twice"
              : layer == null ? "lists " + blob.digest() + ", which the manifest does not"
              : layer.size() != blob.size() ? "gives " + blob.digest() + " size " + blob.size() + ", the manifest " + layer.size()
              : !java.util.Objects.equals(layer.mediaType(), blob.mediaType()) ? "gives " + blob.digest() + " another media type than the manifest"
              : null;
      if (problem != null) {
        throw inconsistent(where, problem);
      }
    }
    layers.keySet().stream()
        .filter(d -> !listed.contains(d))
        .findFirst()
        .ifPresent(d -> { throw inconsistent(where, "does not list layer " + d + " of the manifest"); });
  }

  private static List<Blob> concat(List<Blob> a, List<Blob> b) {
    List<Blob> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static ContentException inconsistent(String where, String problem) {
    return new ContentException(
        where + ": " + FILE_NAME + " " + problem, "the delta archive is damaged or was altered; export it again");
  }

  private void validate(String where) {
    if (version == null) {
      throw missing(where, "version");
    }
    if (!FORMAT_VERSION.equals(version)) {
      throw new ContentException(
          where + ": unknown delta format version '" + version + "' (this diffah reads " + FORMAT_VERSION + ")",
          "use the diffah release that wrote the delta, or a newer one");
    }
    List<String> absent = new ArrayList<>();
    check(absent, tool, "tool");
    check(absent, toolVersion, "tool_version");
    check(absent, createdAt, "created_at");
    check(absent, platform, "platform");
    check(absent, target, "target");
    if (target != null) {
      check(absent, target.manifestDigest, "target.manifest_digest");
      check(absent, target.manifestSize, "target.manifest_size");
      check(absent, target.mediaType, "target.media_type");
    }
    check(absent, baseline, "baseline");
    if (baseline != null) {
      check(absent, baseline.manifestDigest, "baseline.manifest_digest");
      check(absent, baseline.mediaType, "baseline.media_type");
    }
    checkPlatform(absent);
    checkCreatedAt(absent);
    check(absent, requiredFromBaseline, "required_from_baseline");
    check(absent, shippedInDelta, "shipped_in_delta");
    checkBlobs(absent, requiredFromBaseline, "required_from_baseline");
    checkBlobs(absent, shippedInDelta, "shipped_in_delta");
    if (!absent.isEmpty()) {
      throw missing(where, String.join(", ", absent));
    }
  }

  private void checkPlatform(List<String> problems) {
    if (platform != null && !platform.equals("unknown")) {
      try {
        Platform.parse(platform);
      } catch (RuntimeException e) {
        problems.add("platform (not os/arch[/variant]: '" + platform + "')");
      }
    }
  }

  private void checkCreatedAt(List<String> problems) {
    if (createdAt != null) {
      try {
        java.time.OffsetDateTime.parse(createdAt);
      } catch (java.time.format.DateTimeParseException e) {
        problems.add("created_at (not an ISO 8601 time: '" + createdAt + "')");
      }
    }
  }

  private static void checkBlobs(List<String> absent, List<Blob> blobs, String field) {
    if (blobs == null) {
      return;
    }
    for (int i = 0; i < blobs.size(); i++) {
      Blob b = blobs.get(i);
      String at = field + "[" + i + "]";
      if (b == null) {
        absent.add(at);
        continue;
      }
      check(absent, b.digest, at + ".digest");
      check(absent, b.size, at + ".size");
      check(absent, b.mediaType, at + ".media_type");
      if (b.size != null && b.size < 0) {
        absent.add(at + ".size (negative)");
      }
    }
  }

  private static void check(List<String> absent, Object value, String field) {
    if (value == null) {
      absent.add(field);
    }
  }

  private static ContentException missing(String where, String fields) {
    return new ContentException(
        where + ": " + FILE_NAME + " lacks or has malformed field(s): " + fields,
        "the delta archive is damaged or was not written by diffah; export it again");
  }

  private static String firstLine(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
