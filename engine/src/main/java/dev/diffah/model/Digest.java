package dev.diffah.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.diffah.error.ContentException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest {@code algo:hex}. Only well-formed digests exist: the algorithm is known and the
 * hex is lowercase and of the algorithm's exact length, so {@link #hex()} is always safe as a file
 * name.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    Pattern pattern =
        switch (algorithm) {
          case "sha256" -> SHA256;
          case "sha512" -> SHA512;
          default -> throw invalid(algorithm + ":" + hex, "unsupported algorithm " + algorithm);
        };
    if (hex == null || !pattern.matcher(hex).matches()) {
      throw invalid(algorithm + ":" + hex, "hex part must be lowercase and of exact length");
    }
  }

  @JsonCreator
  public static Digest parse(String text) {
    if (text == null) {
      throw invalid("null", "missing digest");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw invalid(text, "expected algo:hex");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  public static Digest sha256(byte[] bytes) {
    return new Digest("sha256", HexFormat.of().formatHex(newSha256().digest(bytes)));
  }

  public static MessageDigest newSha256() {
    return newDigest("sha256");
  }

  /** A fresh hasher for this digest's algorithm. */
  public MessageDigest newHasher() {
    return newDigest(algorithm);
  }

  /** True when {@code hash} (the result of {@link #newHasher()}) equals this digest. */
  public boolean matches(byte[] hash) {
    return HexFormat.of().formatHex(hash).equals(hex);
  }

  /** A short form for humans: algorithm and the first 12 hex digits. */
  public String shortForm() {
    return algorithm + ":" + hex.substring(0, 12);
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e);
    }
  }

  private static ContentException invalid(String text, String why) {
    return new ContentException(
        "invalid digest '" + abbreviate(text) + "': " + why,
        "digests look like sha256:<64 lowercase hex digits>; the input that holds it is malformed");
  }

  private static String abbreviate(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
