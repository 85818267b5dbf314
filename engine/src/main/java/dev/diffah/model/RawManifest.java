package dev.diffah.model;

import java.util.Arrays;

/**
 * A manifest exactly as its source stored it. The digest is always computed from these bytes, which
 * travel unchanged from source to output.
 */
public final class RawManifest {
  private final byte[] bytes;
  private final String mediaType;
  private final Digest digest;

  private RawManifest(byte[] bytes, String mediaType) {
    this.bytes = bytes;
    this.mediaType = mediaType;
    this.digest = Digest.sha256(bytes);
  }

  /**
   * Wraps manifest bytes. The media type is the one inside the document when present, otherwise
   * {@code declaredMediaType} (the one its container or server declared), else guessed by shape.
   */
  public static RawManifest of(byte[] bytes, String declaredMediaType) {
    byte[] copy = bytes.clone();
    return new RawManifest(copy, Manifests.mediaTypeOf(copy, declaredMediaType));
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public String mediaType() {
    return mediaType;
  }

  public Digest digest() {
    return digest;
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  /** The descriptor that points at this manifest. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, bytes.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawManifest m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "RawManifest[" + mediaType + " " + digest + "]";
  }
}
