package dev.diffah.transport.dockerarchive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.diffah.error.ContentException;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Json;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/** One entry of a docker-archive's {@code manifest.json}: paths inside the tar, and the tags. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Config", "RepoTags", "Layers"})
record ArchiveImage(
    @JsonProperty("Config") String config,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("Layers") List<String> layers) {

  static final String MANIFEST_JSON = "manifest.json";

  /** Tags without nulls; empty when untagged. */
  List<String> tags() {
    return repoTags == null ? List.of() : repoTags.stream().filter(Objects::nonNull).toList();
  }

  List<String> layerPaths() {
    return layers == null ? List.of() : layers;
  }

  /** Reads and checks {@code manifest.json} of an indexed archive. */
  static Mono<List<ArchiveImage>> readAll(TarIndex tar) {
    return Mono.defer(
        () -> {
          if (!tar.contains(MANIFEST_JSON)) {
            return Mono.error(
                tar.missing(
                    MANIFEST_JSON,
                    "it is not a docker-archive: for an OCI layout use oci-archive:; otherwise re-create it with docker save, podman save or skopeo copy"));
          }
          return tar.readSmall(MANIFEST_JSON, Json.MAX_DOCUMENT_BYTES).map(bytes -> parse(bytes, tar));
        });
  }

  private static List<ArchiveImage> parse(byte[] bytes, TarIndex tar) {
    List<ArchiveImage> images;
    try {
      images = Json.MAPPER.readValue(bytes, new TypeReference<List<ArchiveImage>>() {});
    } catch (IOException e) {
      throw new ContentException(
          tar.file() + ": manifest.json is not a JSON array of images: " + firstLine(e.getMessage()),
          "the archive is damaged; re-create it with docker save, podman save or skopeo copy",
          e);
    }
    if (images == null || images.isEmpty()) {
      throw new ContentException(tar.file() + ": manifest.json lists no images", "the archive holds nothing to read");
    }
    for (int i = 0; i < images.size(); i++) {
      ArchiveImage image = images.get(i);
      if (image == null || image.config() == null || image.config().isEmpty()) {
        throw new ContentException(
            tar.file() + ": manifest.json image @" + i + " has no Config", "the archive is damaged");
      }
    }
    return images;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable JSON";
    }
    int nl = message.indexOf('\n');
    return nl > 0 ? message.substring(0, nl) : message;
  }
}
