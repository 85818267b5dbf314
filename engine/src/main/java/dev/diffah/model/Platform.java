package dev.diffah.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.diffah.error.UsageException;
import java.util.Objects;

/**
 * An {@code os/arch[/variant]} platform. Matching follows the usual normalisation: {@code arm64}
 * means {@code arm64/v8}, {@code arm} means {@code arm/v7}, {@code amd64} has no variant.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
    @JsonProperty("os") String os,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("variant") String variant) {

  public static Platform parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || anyBlank(parts)) {
      throw new UsageException(
          "invalid platform '" + text + "'", "use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /** Normalised form: default variants filled in, so equal platforms compare equal. */
  public Platform normalized() {
    String arch = architecture;
    String v = variant == null || variant.isEmpty() ? null : variant;
    switch (arch) {
      case "aarch64" -> arch = "arm64";
      case "x86_64", "x86-64" -> arch = "amd64";
      default -> {}
    }
    if (arch.equals("arm64") && v == null) {
      v = "v8";
    } else if (arch.equals("arm") && v == null) {
      v = "v7";
    }
    return new Platform(os, arch, v);
  }

  /** True when an image built for {@code candidate} is exactly what this platform asks for. */
  public boolean matches(Platform candidate) {
    return normalized().equals(candidate.normalized());
  }

  /** True when {@code candidate} runs here though not an exact variant match (arm/v7 runs v6). */
  public boolean isCompatibleWith(Platform candidate) {
    Platform want = normalized();
    Platform have = candidate.normalized();
    if (!want.os.equals(have.os) || !want.architecture.equals(have.architecture)) {
      return false;
    }
    if (want.variant == null || have.variant == null) {
      return true;
    }
    return variantRank(have.variant) <= variantRank(want.variant);
  }

  /** The variant's number (v7 is 7), for picking the closest compatible one; 0 without a variant. */
  public int variantRank() {
    return variant == null || variant.isEmpty() ? 0 : variantRank(variant);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Platform p
        && Objects.equals(os, p.os)
        && Objects.equals(architecture, p.architecture)
        && Objects.equals(blankToNull(variant), blankToNull(p.variant));
  }

  @Override
  public int hashCode() {
    return Objects.hash(os, architecture, blankToNull(variant));
  }

  private static int variantRank(String variant) {
    try {
      return Integer.parseInt(variant.substring(1));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static boolean anyBlank(String[] parts) {
    for (String p : parts) {
      if (p.isBlank()) {
        return true;
      }
    }
    return false;
  }
}
