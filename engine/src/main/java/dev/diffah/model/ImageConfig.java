package dev.diffah.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The parts of an image config diffah needs: platform and layer DiffIDs. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(
    @JsonProperty("os") String os,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("variant") String variant,
    @JsonProperty("rootfs") RootFs rootfs) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RootFs(@JsonProperty("diff_ids") List<Digest> diffIds) {}

  public List<Digest> diffIds() {
    return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
  }

  /** The platform the config declares, or null when it names none. */
  public Platform platform() {
    if (os == null || architecture == null) {
      return null;
    }
    return new Platform(os, architecture, variant);
  }
}
