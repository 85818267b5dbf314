package dev.diffah.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Writes small docker-archives in the shapes real tools write, with commons-compress and Jackson
 * only (never diffah's own writers): Docker 25+ {@code docker save} (an OCI layout plus
 * manifest.json), legacy {@code docker save} ({@code <id>/layer.tar}, repeated layers as symlinks)
 * and skopeo's ({@code <hex>.tar} layers in whatever compression they have).
 */
public final class DockerSaves {
  private DockerSaves() {}

  /** A layer as stored in the archive, and the digest of its uncompressed tar (its DiffID). */
  public record Layer(byte[] stored, Digest diffId) {
    public Digest digest() {
      return Digest.sha256(stored);
    }

    /** An uncompressed layer tar holding one small file of seeded random bytes. */
    public static Layer plain(long seed) {
      byte[] tar = layerTar(seed);
      return new Layer(tar, Digest.sha256(tar));
    }

    public static Layer gzip(long seed) {
      byte[] tar = layerTar(seed);
      return new Layer(compress(tar, out -> new GZIPOutputStream(out)), Digest.sha256(tar));
    }

    public static Layer zstd(long seed) {
      byte[] tar = layerTar(seed);
      return new Layer(compress(tar, ZstdCompressorOutputStream::new), Digest.sha256(tar));
    }
  }

  /** One image of an archive: the tags it is saved under (none: untagged) and its layers in order. */
  public record Image(List<String> repoTags, List<Layer> layers) {
    public byte[] config() {
      ObjectNode config = Json.MAPPER.createObjectNode();
      config.put("architecture", "amd64").put("os", "linux");
      config.putObject("config").putArray("Cmd").add("/bin/true");
      ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
      layers.forEach(layer -> diffIds.add(layer.diffId().toString()));
      return json(config);
    }

    public Digest configDigest() {
      return Digest.sha256(config());
    }
  }

  /** Edits applied while writing, to build archives whose two views disagree. */
  public record Tamper(UnaryOperator<ObjectNode> ociManifest, UnaryOperator<ObjectNode> manifestJsonEntry) {
    public static final Tamper NONE = new Tamper(UnaryOperator.identity(), UnaryOperator.identity());

    public static Tamper ociManifest(UnaryOperator<ObjectNode> edit) {
      return new Tamper(edit, UnaryOperator.identity());
    }

    public static Tamper manifestJson(UnaryOperator<ObjectNode> edit) {
      return new Tamper(UnaryOperator.identity(), edit);
    }
  }

  /**
   * Docker 25+ {@code docker save}: every blob under {@code blobs/sha256/}, an OCI manifest per
   * image named in index.json, and manifest.json pointing at the same blob paths.
   */
  public static Path docker25(Path file, List<Image> images, Tamper tamper) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    ArrayNode manifestJson = Json.MAPPER.createArrayNode();
    ObjectNode index = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode indexEntries = index.putArray("manifests");
    for (Image image : images) {
      byte[] config = image.config();
      ObjectNode manifest = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
      descriptor(manifest.putObject("config"), MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
      ArrayNode ociLayers = manifest.putArray("layers");
      ObjectNode entry = manifestJson.addObject().put("Config", blobPath(Digest.sha256(config)));
      ArrayNode tags = entry.putArray("RepoTags");
      image.repoTags().forEach(tags::add);
      ArrayNode layerPaths = entry.putArray("Layers");
      for (Layer layer : image.layers()) {
        entries.put(blobPath(layer.digest()), layer.stored());
        descriptor(ociLayers.addObject(), MediaTypes.OCI_LAYER, layer.digest(), layer.stored().length);
        layerPaths.add(blobPath(layer.digest()));
      }
      entries.put(blobPath(Digest.sha256(config)), config);
      byte[] manifestBytes = json(tamper.ociManifest().apply(manifest));
      entries.put(blobPath(Digest.sha256(manifestBytes)), manifestBytes);
      ObjectNode indexEntry =
          descriptor(indexEntries.addObject(), MediaTypes.OCI_MANIFEST, Digest.sha256(manifestBytes), manifestBytes.length);
      if (!image.repoTags().isEmpty()) {
        String tag = image.repoTags().get(0);
        indexEntry.putObject("annotations")
            .put("io.containerd.image.name", "docker.io/library/" + tag)
            .put("org.opencontainers.image.ref.name", tag.substring(tag.lastIndexOf(':') + 1));
      }
      manifestJson.set(manifestJson.size() - 1, tamper.manifestJsonEntry().apply(entry));
    }
    entries.put("index.json", json(index));
    entries.put("manifest.json", json(manifestJson));
    entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    writeTar(file, entries, Map.of());
    return file;
  }

  /**
   * Legacy {@code docker save}: a directory per layer position holding {@code layer.tar}, {@code
   * json} and {@code VERSION}; a layer seen before is a symlink to the first directory's tar.
   */
  public static Path legacy(Path file, Image image) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Map<String, String> symlinks = new HashMap<>();
    Map<Digest, String> firstDir = new HashMap<>();
    List<String> layerPaths = new ArrayList<>();
    String parent = null;
    for (Layer layer : image.layers()) {
      String id = Digest.sha256((parent + "/" + layer.diffId()).getBytes(StandardCharsets.UTF_8)).hex();
      ObjectNode legacyJson = Json.MAPPER.createObjectNode().put("id", id);
      if (parent != null) {
        legacyJson.put("parent", parent);
      }
      entries.put(id + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
      entries.put(id + "/json", json(legacyJson));
      String earlier = firstDir.putIfAbsent(layer.digest(), id);
      if (earlier == null) {
        entries.put(id + "/layer.tar", layer.stored());
      } else {
        symlinks.put(id + "/layer.tar", "../" + earlier + "/layer.tar");
        entries.put(id + "/layer.tar", null);
      }
      layerPaths.add(id + "/layer.tar");
      parent = id;
    }
    String configName = image.configDigest().hex() + ".json";
    entries.put(configName, image.config());
    ObjectNode entry = Json.MAPPER.createArrayNode().addObject().put("Config", configName);
    ArrayNode tags = entry.putArray("RepoTags");
    image.repoTags().forEach(tags::add);
    ArrayNode layers = entry.putArray("Layers");
    layerPaths.forEach(layers::add);
    entries.put("manifest.json", json(Json.MAPPER.createArrayNode().add(entry)));
    if (!image.repoTags().isEmpty()) {
      String tag = image.repoTags().get(0);
      int colon = tag.lastIndexOf(':');
      ObjectNode repositories = Json.MAPPER.createObjectNode();
      repositories.putObject(tag.substring(0, colon)).put(tag.substring(colon + 1), parent);
      entries.put("repositories", json(repositories));
    }
    writeTar(file, entries, symlinks);
    return file;
  }

  /** skopeo's shape: {@code <hex>.tar} per layer as stored (any compression), {@code <hex>.json} config. */
  public static Path skopeoStyle(Path file, List<Image> images) {
    return skopeoStyle(file, images, Tamper.NONE);
  }

  /** skopeo's shape with manifest.json entries edited by {@code tamper}. */
  public static Path skopeoStyle(Path file, List<Image> images, Tamper tamper) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    ArrayNode manifestJson = Json.MAPPER.createArrayNode();
    for (Image image : images) {
      ObjectNode entry = manifestJson.addObject().put("Config", image.configDigest().hex() + ".json");
      ArrayNode tags = entry.putArray("RepoTags");
      image.repoTags().forEach(tags::add);
      ArrayNode layers = entry.putArray("Layers");
      for (Layer layer : image.layers()) {
        entries.put(layer.digest().hex() + ".tar", layer.stored());
        layers.add(layer.digest().hex() + ".tar");
      }
      entries.put(image.configDigest().hex() + ".json", image.config());
      manifestJson.set(manifestJson.size() - 1, tamper.manifestJsonEntry().apply(entry));
    }
    entries.put("manifest.json", json(manifestJson));
    writeTar(file, entries, Map.of());
    return file;
  }

  /** The JSON of {@code manifest.json} in a docker-archive. */
  public static JsonNode manifestJson(Path archive) {
    try (var tar = new org.apache.commons.compress.archivers.tar.TarFile(archive)) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        if (entry.getName().equals("manifest.json")) {
          return Json.MAPPER.readTree(tar.getInputStream(entry));
        }
      }
      throw new AssertionError(archive + " has no manifest.json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String blobPath(Digest digest) {
    return "blobs/sha256/" + digest.hex();
  }

  private static ObjectNode descriptor(ObjectNode node, String mediaType, Digest digest, long size) {
    return node.put("mediaType", mediaType).put("digest", digest.toString()).put("size", size);
  }

  /** Writes {@code entries} in order; a null value is the symlink named in {@code symlinks}. */
  private static void writeTar(Path file, Map<String, byte[]> entries, Map<String, String> symlinks) {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry;
        if (e.getValue() == null) {
          entry = new TarArchiveEntry(e.getKey(), TarConstants.LF_SYMLINK);
          entry.setLinkName(symlinks.get(e.getKey()));
        } else {
          entry = new TarArchiveEntry(e.getKey());
          entry.setSize(e.getValue().length);
        }
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        if (e.getValue() != null) {
          tar.write(e.getValue());
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] layerTar(long seed) {
    byte[] content = new byte[256];
    new SplittableRandom(seed).nextBytes(content);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry("data/file-" + seed + ".bin");
      entry.setSize(content.length);
      entry.setModTime(0);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] bytes, Compressor compressor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressed = compressor.wrap(out)) {
      compressed.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] json(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
