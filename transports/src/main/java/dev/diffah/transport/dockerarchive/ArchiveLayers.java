package dev.diffah.transport.dockerarchive;

import dev.diffah.error.ContentException;
import dev.diffah.io.Blobs;
import dev.diffah.io.TarIndex;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Describes the layers of a docker-archive as a registry manifest would: media type by the bytes'
 * compression, digest without reading the layer wherever the archive already states it.
 */
final class ArchiveLayers {
  /** {@code <hex>.tar} (containers-image) or {@code blobs/sha256/<hex>} (Docker 25+). */
  private static final Pattern NAMED_BY_DIGEST =
      Pattern.compile("(?:\\./)*(?:([a-f0-9]{64})\\.tar|blobs/sha256/([a-f0-9]{64}))");

  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  private ArchiveLayers() {}

  /**
   * The descriptor of the layer at {@code path}. {@code diffId} is the config's DiffID at this
   * position: an uncompressed layer's digest is its DiffID, which the engine verifies while
   * streaming.
   */
  static Mono<Descriptor> describe(TarIndex tar, String path, Digest diffId) {
    return Mono.defer(
        () -> {
          TarIndex.Entry entry = layerEntry(tar, path);
          return head(tar, entry)
              .flatMap(
                  head -> {
                    String mediaType = mediaTypeOf(head);
                    return digestOf(tar, path, entry, mediaType, diffId)
                        .map(digest -> Descriptor.of(mediaType, digest, entry.size()));
                  });
        });
  }

  private static TarIndex.Entry layerEntry(TarIndex tar, String path) {
    return tar.regularFile(path)
        .orElseThrow(
            () ->
                new ContentException(
                    tar.file() + ": manifest.json lists layer " + path + ", which is not a file in the archive",
                    "the archive is incomplete or damaged; re-create it"));
  }

  private static Mono<byte[]> head(TarIndex tar, TarIndex.Entry entry) {
    long length = Math.min(ZSTD_MAGIC.length, entry.size());
    return Blobs.readRegion(tar.file(), entry.dataOffset(), length)
        .reduce(
            new ByteArrayOutputStream(ZSTD_MAGIC.length),
            (out, buf) -> {
              Blobs.write(out, buf);
              return out;
            })
        .map(ByteArrayOutputStream::toByteArray);
  }

  static String mediaTypeOf(byte[] head) {
    if (startsWith(head, GZIP_MAGIC)) {
      return MediaTypes.DOCKER_LAYER_GZIP;
    }
    if (startsWith(head, ZSTD_MAGIC)) {
      return MediaTypes.DOCKER_LAYER_ZSTD;
    }
    return MediaTypes.DOCKER_LAYER;
  }

  private static Mono<Digest> digestOf(
      TarIndex tar, String path, TarIndex.Entry entry, String mediaType, Digest diffId) {
    boolean compressed = !mediaType.equals(MediaTypes.DOCKER_LAYER);
    if (!compressed) {
      return Mono.just(diffId);
    }
    Digest named = namedDigest(entry.name());
    // a compressed file named by its DiffID (some writers do that) is not named by its own digest
    if (named != null && !named.equals(diffId)) {
      return Mono.just(named);
    }
    return hash(tar, path);
  }

  private static Digest namedDigest(String entryName) {
    Matcher m = NAMED_BY_DIGEST.matcher(entryName);
    if (!m.matches()) {
      return null;
    }
    return Digest.parse("sha256:" + (m.group(1) != null ? m.group(1) : m.group(2)));
  }

  private static Mono<Digest> hash(TarIndex tar, String path) {
    return tar.read(path)
        .reduce(
            Digest.newSha256(),
            (MessageDigest hasher, java.nio.ByteBuffer buf) -> {
              hasher.update(buf);
              return hasher;
            })
        .map(hasher -> new Digest("sha256", HexFormat.of().formatHex(hasher.digest())));
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
