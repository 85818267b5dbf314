package dev.diffah.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds OCI image layouts of any size and shape for tests, written straight to disk (never held in
 * memory) with plain JDK and commons-compress code, independent of diffah's own writers.
 */
public final class ImageGenerator {
  private ImageGenerator() {}

  /** A layer blob written into a layout. */
  public record Layer(Digest digest, long size, String mediaType, Digest diffId) {}

  /** An image written into a layout. */
  public record Image(Digest manifestDigest, long manifestSize, byte[] manifest) {}

  /**
   * Writes a layer: a tar holding one file of {@code contentBytes} pseudo-random bytes from {@code
   * seed}, gzip-compressed when asked. Random data keeps gzip from shrinking it.
   */
  public static Layer layer(Path layout, long contentBytes, long seed, boolean gzip) {
    try {
      Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
      Path temp = Files.createTempFile(blobs, "layer", ".tmp");
      MessageDigest blobHash = Digest.newSha256();
      MessageDigest diffHash = Digest.newSha256();
      try (OutputStream file = new DigestOutputStream(Files.newOutputStream(temp), blobHash);
          OutputStream compressed = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
          OutputStream tarBytes = new DigestOutputStream(compressed, diffHash);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry entry = new TarArchiveEntry("data/file-" + seed + ".bin");
        entry.setSize(contentBytes);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        writeRandom(tar, contentBytes, seed);
        tar.closeArchiveEntry();
        tar.finish();
      }
      Digest digest = new Digest("sha256", HexFormat.of().formatHex(blobHash.digest()));
      Digest diffId = new Digest("sha256", HexFormat.of().formatHex(diffHash.digest()));
      long size = Files.size(temp);
      Files.move(temp, blobs.resolve(digest.hex()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return new Layer(digest, size, gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, diffId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes config, manifest and an {@code index.json} naming this single image {@code refName}
   * (replacing any previous index), plus {@code oci-layout}.
   */
  public static Image image(Path layout, List<Layer> layers, String refName) {
    try {
      ObjectNode config = Json.MAPPER.createObjectNode();
      config.put("architecture", "amd64").put("os", "linux");
      ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
      ArrayNode diffIds = rootfs.putArray("diff_ids");
      layers.forEach(l -> diffIds.add(l.diffId().toString()));
      byte[] configBytes = Json.MAPPER.writeValueAsBytes(config);
      Digest configDigest = writeBlob(layout, configBytes);

      ObjectNode manifest = Json.MAPPER.createObjectNode();
      manifest.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
      descriptor(manifest.putObject("config"), MediaTypes.OCI_CONFIG, configDigest, configBytes.length);
      ArrayNode layerArray = manifest.putArray("layers");
      layers.forEach(l -> descriptor(layerArray.addObject(), l.mediaType(), l.digest(), l.size()));
      byte[] manifestBytes = Json.MAPPER.writeValueAsBytes(manifest);
      Digest manifestDigest = writeBlob(layout, manifestBytes);

      ObjectNode index = Json.MAPPER.createObjectNode();
      index.put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
      ObjectNode entry = index.putArray("manifests").addObject();
      descriptor(entry, MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length);
      entry.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
      Files.write(layout.resolve("index.json"), Json.MAPPER.writeValueAsBytes(index));
      Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
      return new Image(manifestDigest, manifestBytes.length, manifestBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void descriptor(ObjectNode node, String mediaType, Digest digest, long size) {
    node.put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
  }

  private static Digest writeBlob(Path layout, byte[] bytes) throws IOException {
    Digest digest = Digest.sha256(bytes);
    Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
    Files.write(blobs.resolve(digest.hex()), bytes);
    return digest;
  }

  private static void writeRandom(OutputStream out, long bytes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[1 << 16];
    for (long left = bytes; left > 0; ) {
      for (int i = 0; i < chunk.length; i += 8) {
        long v = random.nextLong();
        for (int b = 0; b < 8; b++) {
          chunk[i + b] = (byte) (v >>> (8 * b));
        }
      }
      int n = (int) Math.min(chunk.length, left);
      out.write(chunk, 0, n);
      left -= n;
    }
  }
}
