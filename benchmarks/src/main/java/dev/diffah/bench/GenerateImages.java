package dev.diffah.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.model.Json;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds image pairs (v1, v2) from real files on this machine, the way a registry serves them:
 * gzip-compressed tar layers in an OCI layout, also packed as an oci-archive.
 *
 * <p>Usage: {@code GenerateImages OUT_DIR PAIR SCALE} with PAIR {@code large} (JDK and /usr/share
 * base layers shared by both versions, one big application layer that changes) or {@code many}
 * (24 layers cut from /usr, the last 4 change) or {@code four} (4 layers of ~10 MiB, all of them
 * rebuilt in v2), and SCALE {@code small} (~100 MB), {@code full} (~1 GiB application layer) or
 * {@code big} (2 GiB application layer); {@code four} only comes small. Writes {@code
 * OUT_DIR/PAIR-SCALE/{v1,v2}} layouts and {@code {v1,v2}.tar}; the output is the same every run.
 */
public final class GenerateImages {
  private static final long MIB = 1024L * 1024L;
  private static final List<Path> SYSTEM_TREES =
      List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/share"), Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/bin"));
  private static final long FOUR_LAYER_MIB = 10;
  private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  private GenerateImages() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: GenerateImages OUT_DIR large|many|four small|full|big");
      System.exit(2);
    }
    Path out = Path.of(args[0]).resolve(args[1] + "-" + args[2]);
    Scale scale = Scale.valueOf(args[2].toUpperCase());
    List<List<LayerSpec>> versions =
        switch (args[1]) {
          case "many" -> manyLayers(scale);
          case "four" -> fourLayers();
          default -> largeLayer(scale);
        };
    for (int v = 0; v < versions.size(); v++) {
      String name = "v" + (v + 1);
      Path layout = out.resolve(name);
      writeImage(layout, "diffah-bench/" + args[1] + ":" + name, versions.get(v));
      packArchive(layout, out.resolve(name + ".tar"));
    }
    System.out.println(out);
  }

  enum Scale {
    SMALL(40 * MIB, 30 * MIB, 30 * MIB, 100 * MIB),
    FULL(Long.MAX_VALUE, Long.MAX_VALUE, 1024 * MIB, 1200 * MIB),
    BIG(40 * MIB, 30 * MIB, 2048 * MIB, 100 * MIB);

    final long jdkCap;
    final long shareCap;
    final long appBytes;
    final long manyTotal;

    Scale(long jdkCap, long shareCap, long appBytes, long manyTotal) {
      this.jdkCap = jdkCap;
      this.shareCap = shareCap;
      this.appBytes = appBytes;
      this.manyTotal = manyTotal;
    }
  }

  /**
   * One layer: real files (each tree capped at {@code capBytes} of file content), then a stamp
   * file naming the version, then random "model data" until the compressed layer reaches {@code
   * fillTo} bytes.
   */
  record LayerSpec(String comment, List<Path> files, String stamp, long fillTo, long seed) {}

  private static List<List<LayerSpec>> largeLayer(Scale scale) throws IOException {
    LayerSpec jdk = new LayerSpec("JDK", capped(List.of(Path.of("/usr/lib/jvm")), scale.jdkCap, Long.MAX_VALUE), null, 0, 0);
    LayerSpec share = new LayerSpec("/usr/share", capped(List.of(Path.of("/usr/share")), scale.shareCap, Long.MAX_VALUE), null, 0, 0);
    List<Path> appFiles = capped(List.of(Path.of("/usr/bin")), Math.min(scale.appBytes / 4, 200 * MIB), Long.MAX_VALUE);
    List<List<LayerSpec>> versions = new ArrayList<>();
    for (int v = 1; v <= 2; v++) {
      LayerSpec app = new LayerSpec("application", appFiles, "release " + v, scale.appBytes, v);
      versions.add(List.of(jdk, share, app));
    }
    return versions;
  }

  private static List<List<LayerSpec>> manyLayers(Scale scale) throws IOException {
    int layers = 24;
    int changed = 4;
    // No file bigger than half a layer, so every layer gets its share of real files.
    List<Path> all = capped(SYSTEM_TREES, scale.manyTotal, scale.manyTotal / layers / 2);
    List<List<Path>> buckets = splitBySize(all, layers);
    List<List<LayerSpec>> versions = new ArrayList<>();
    for (int v = 1; v <= 2; v++) {
      List<LayerSpec> specs = new ArrayList<>();
      for (int i = 0; i < layers; i++) {
        boolean changes = i >= layers - changed;
        specs.add(new LayerSpec("layer " + i, buckets.get(i), changes ? "release " + v : null, 0, 0));
      }
      versions.add(specs);
    }
    return versions;
  }

  /**
   * Four layers of about {@value #FOUR_LAYER_MIB} MiB compressed each, every one different between
   * v1 and v2: a release built on an updated base image, where every layer is rebuilt and gets a new
   * digest, so the whole image ships. Each layer holds ~8 MiB of real files from its own tree, and
   * is topped up with random "model data" to the same compressed size, so the layers download in
   * the same time and four parallel fetches can each do a quarter of the work.
   */
  private static List<List<LayerSpec>> fourLayers() throws IOException {
    List<List<LayerSpec>> versions = new ArrayList<>();
    for (int v = 1; v <= 2; v++) {
      List<LayerSpec> specs = new ArrayList<>();
      for (Path tree : SYSTEM_TREES) {
        List<Path> files = capped(List.of(tree), 8 * MIB, MIB);
        specs.add(new LayerSpec(tree.toString(), files, "release " + v, FOUR_LAYER_MIB * MIB, specs.size()));
      }
      versions.add(specs);
    }
    return versions;
  }

  /**
   * Regular files and symlinks under the trees, sorted, skipping files over {@code maxFile} and any
   * that would take the total over {@code cap}.
   */
  private static List<Path> capped(List<Path> trees, long cap, long maxFile) throws IOException {
    List<Path> result = new ArrayList<>();
    long total = 0;
    for (Path tree : trees) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(tree)) {
        files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
            .filter(p -> Files.isSymbolicLink(p) || Files.isReadable(p))
            .sorted()
            .toList();
      }
      for (Path file : files) {
        long size = Files.isSymbolicLink(file) ? 0 : Files.size(file);
        if (size > maxFile || total + size > cap) {
          continue;
        }
        result.add(file);
        total += size;
      }
    }
    return result;
  }

  private static List<List<Path>> splitBySize(List<Path> files, int buckets) throws IOException {
    long total = 0;
    for (Path f : files) {
      total += Files.isSymbolicLink(f) ? 0 : Files.size(f);
    }
    List<List<Path>> result = new ArrayList<>();
    List<Path> current = new ArrayList<>();
    long done = 0;
    for (Path f : files) {
      current.add(f);
      done += Files.isSymbolicLink(f) ? 0 : Files.size(f);
      if (done * buckets >= total * (result.size() + 1) && result.size() < buckets - 1) {
        result.add(current);
        current = new ArrayList<>();
      }
    }
    result.add(current);
    while (result.size() < buckets) {
      result.add(List.of());
    }
    return result;
  }

  private static void writeImage(Path layout, String refName, List<LayerSpec> specs) throws IOException {
    Path blobs = layout.resolve("blobs/sha256");
    Files.createDirectories(blobs);
    ArrayNode layers = Json.MAPPER.createArrayNode();
    ArrayNode diffIds = Json.MAPPER.createArrayNode();
    ArrayNode history = Json.MAPPER.createArrayNode();
    for (LayerSpec spec : specs) {
      Layer layer = writeLayer(blobs, spec);
      layers.addObject().put("mediaType", LAYER_TYPE).put("digest", layer.digest).put("size", layer.size);
      diffIds.add(layer.diffId);
      history.addObject().put("created", "2024-01-01T00:00:00Z").put("created_by", "ADD " + spec.comment);
      System.err.printf("  %s %s: %.1f MiB%n", refName, spec.comment, layer.size / (double) MIB);
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.put("architecture", "amd64").put("os", "linux").put("created", "2024-01-01T00:00:00Z");
    config.putObject("config").putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
    config.set("history", history);
    Blob configBlob = writeJsonBlob(blobs, config);
    ObjectNode manifest = Json.MAPPER.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
        .put("digest", configBlob.digest).put("size", configBlob.size);
    manifest.set("layers", layers);
    Blob manifestBlob = writeJsonBlob(blobs, manifest);
    ObjectNode index = Json.MAPPER.createObjectNode();
    index.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
    index.putArray("manifests").addObject()
        .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .put("digest", manifestBlob.digest).put("size", manifestBlob.size)
        .putObject("annotations").put("org.opencontainers.image.ref.name", refName);
    Files.writeString(layout.resolve("index.json"), Json.MAPPER.writeValueAsString(index));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  record Blob(String digest, long size) {}

  record Layer(String digest, long size, String diffId) {}

  private static Blob writeJsonBlob(Path blobs, ObjectNode node) throws IOException {
    byte[] bytes = Json.MAPPER.writeValueAsBytes(node);
    String hex = HexFormat.of().formatHex(sha256().digest(bytes));
    Files.write(blobs.resolve(hex), bytes);
    return new Blob("sha256:" + hex, bytes.length);
  }

  private static Layer writeLayer(Path blobs, LayerSpec spec) throws IOException {
    Path temp = Files.createTempFile(blobs, "layer", ".tmp");
    MessageDigest compressedSha = sha256();
    MessageDigest tarSha = sha256();
    CountingStream counted;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
      counted = new CountingStream(new DigestOutputStream(file, compressedSha));
      GZIPOutputStream gzip = new FastGzip(counted);
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, tarSha), "UTF-8")) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Path f : spec.files) {
          addFile(tar, f);
        }
        if (spec.stamp != null) {
          addBytes(tar, "etc/app-release", spec.stamp.getBytes(StandardCharsets.UTF_8));
        }
        addFiller(tar, gzip, counted, spec);
      }
    }
    String hex = HexFormat.of().formatHex(compressedSha.digest());
    Path blob = blobs.resolve(hex);
    Files.move(temp, blob, StandardCopyOption.REPLACE_EXISTING);
    return new Layer("sha256:" + hex, Files.size(blob), "sha256:" + HexFormat.of().formatHex(tarSha.digest()));
  }

  private static void addFile(TarArchiveOutputStream tar, Path file) throws IOException {
    String name = file.toString().substring(1);
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attrs.isSymbolicLink()) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(Files.readSymbolicLink(file).toString());
      fixMetadata(entry, 0120777);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
      return;
    }
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(attrs.size());
    fixMetadata(entry, Files.isExecutable(file) ? 0100755 : 0100644);
    tar.putArchiveEntry(entry);
    try (InputStream in = Files.newInputStream(file)) {
      long copied = in.transferTo(tar);
      if (copied != attrs.size()) {
        throw new IOException(file + " changed size while being read");
      }
    }
    tar.closeArchiveEntry();
  }

  private static void addBytes(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    entry.setSize(bytes.length);
    fixMetadata(entry, 0100644);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /** Random (incompressible) model files of 64 MiB until the compressed layer is big enough. */
  private static void addFiller(TarArchiveOutputStream tar, GZIPOutputStream gzip, CountingStream counted, LayerSpec spec)
      throws IOException {
    SplittableRandom random = new SplittableRandom(spec.seed);
    byte[] chunk = new byte[1 << 20];
    for (int part = 0; ; part++) {
      gzip.flush();
      long missing = spec.fillTo - counted.count;
      if (missing <= 0) {
        return;
      }
      long size = Math.min(64 * MIB, missing);
      TarArchiveEntry entry = new TarArchiveEntry(String.format("opt/app/model/part-%04d.bin", part), TarConstants.LF_NORMAL, true);
      entry.setSize(size);
      fixMetadata(entry, 0100644);
      tar.putArchiveEntry(entry);
      for (long done = 0; done < size; done += chunk.length) {
        random.nextBytes(chunk);
        tar.write(chunk, 0, (int) Math.min(chunk.length, size - done));
      }
      tar.closeArchiveEntry();
    }
  }

  private static void fixMetadata(TarArchiveEntry entry, int mode) {
    entry.setMode(mode);
    entry.setModTime(0);
    entry.setUserId(0);
    entry.setGroupId(0);
  }

  /** Packs an OCI layout directory into an oci-archive tar. */
  private static void packArchive(Path layout, Path archive) throws IOException {
    Path temp = archive.resolveSibling(archive.getFileName() + ".tmp");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20), "UTF-8")) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      List<Path> files;
      try (Stream<Path> walk = Files.walk(layout)) {
        files = walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
      }
      for (Path f : files) {
        TarArchiveEntry entry = new TarArchiveEntry(layout.relativize(f).toString(), TarConstants.LF_NORMAL, true);
        entry.setSize(Files.size(f));
        fixMetadata(entry, 0100644);
        tar.putArchiveEntry(entry);
        Files.copy(f, tar);
        tar.closeArchiveEntry();
      }
    }
    Files.move(temp, archive, StandardCopyOption.REPLACE_EXISTING);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Level 1: generation speed matters more here than ratio; the bytes are opaque to diffah. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16, true);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
