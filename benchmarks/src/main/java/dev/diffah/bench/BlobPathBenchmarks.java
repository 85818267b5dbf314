package dev.diffah.bench;

import dev.diffah.io.Blobs;
import dev.diffah.io.TarWriter;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * The paths every blob byte takes: hashing while streaming, writing into a tar, reading a file
 * region. Each invocation moves one {@value #BLOB_MIB} MiB blob in {@link Blobs#CHUNK_SIZE}
 * buffers, and counts one operation per MiB, so scores read directly as MiB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", "-XX:+UseSerialGC"})
@State(Scope.Benchmark)
public class BlobPathBenchmarks {
  static final int BLOB_MIB = 64;
  private static final long BLOB_BYTES = BLOB_MIB * 1024L * 1024L;

  private List<ByteBuffer> chunks;
  private Descriptor descriptor;
  private Path dir;
  private Path blobFile;
  private Path tarFile;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    chunks = randomChunks(BLOB_BYTES);
    MessageDigest sha = Digest.newSha256();
    chunks.forEach(c -> sha.update(c.duplicate()));
    descriptor = Descriptor.of("application/octet-stream", new Digest("sha256", hex(sha.digest())), BLOB_BYTES);
    dir = Files.createTempDirectory("diffah-jmh");
    blobFile = dir.resolve("blob");
    try (OutputStream out = Files.newOutputStream(blobFile)) {
      for (ByteBuffer c : chunks) {
        out.write(c.array());
      }
    }
    tarFile = dir.resolve("out.tar");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(blobFile);
    Files.deleteIfExists(tarFile);
    Files.deleteIfExists(dir);
  }

  /** The floor for hashing: MessageDigest over the same buffers, no Reactor. */
  @Benchmark
  @OperationsPerInvocation(BLOB_MIB)
  public byte[] sha256Plain() {
    MessageDigest sha = Digest.newSha256();
    chunks.forEach(c -> sha.update(c.duplicate()));
    return sha.digest();
  }

  /** Blobs.verify over a Flux of 256 KiB heap buffers: what every blob passes through. */
  @Benchmark
  @OperationsPerInvocation(BLOB_MIB)
  public long sha256Verify() {
    return Blobs.verify(inMemoryBlob(), descriptor, "benchmark blob").count().block();
  }

  /** TarWriter.putFile of one blob entry. */
  @Benchmark
  @OperationsPerInvocation(BLOB_MIB)
  public void tarPutFile(Sink sink) throws IOException {
    try (OutputStream out = sink.open(tarFile); TarWriter tar = new TarWriter(out)) {
      tar.putFile("blobs/sha256/" + descriptor.digest().hex(), BLOB_BYTES, inMemoryBlob()).then(tar.finish()).block();
    }
  }

  /** Blobs.readRegion of a file (page cache warm), drained. */
  @Benchmark
  @OperationsPerInvocation(BLOB_MIB)
  public long readRegion() {
    return Blobs.readRegion(blobFile, 0, BLOB_BYTES).count().block();
  }

  /** The whole per-blob path of an import: read a file region, verify it, write it into a tar. */
  @Benchmark
  @OperationsPerInvocation(BLOB_MIB)
  public void copyVerified(Sink sink) throws IOException {
    try (OutputStream out = sink.open(tarFile); TarWriter tar = new TarWriter(out)) {
      Flux<ByteBuffer> verified = Blobs.verify(Blobs.readRegion(blobFile, 0, BLOB_BYTES), descriptor, "benchmark blob");
      tar.putFile("blobs/sha256/" + descriptor.digest().hex(), BLOB_BYTES, verified).then(tar.finish()).block();
    }
  }

  private Flux<ByteBuffer> inMemoryBlob() {
    return Flux.fromIterable(chunks).map(ByteBuffer::duplicate);
  }

  /** Where written tars go: discarded, or a real file (page cache, then disk). */
  @State(Scope.Benchmark)
  public static class Sink {
    @Param({"discard", "file"})
    public String kind;

    OutputStream open(Path file) throws IOException {
      return "file".equals(kind)
          ? new BufferedOutputStream(Files.newOutputStream(file), Blobs.CHUNK_SIZE)
          : OutputStream.nullOutputStream();
    }
  }

  private static List<ByteBuffer> randomChunks(long total) {
    SplittableRandom random = new SplittableRandom(42);
    List<ByteBuffer> result = new ArrayList<>();
    for (long done = 0; done < total; done += Blobs.CHUNK_SIZE) {
      byte[] bytes = new byte[Blobs.CHUNK_SIZE];
      random.nextBytes(bytes);
      result.add(ByteBuffer.wrap(bytes));
    }
    return result;
  }

  private static String hex(byte[] hash) {
    return java.util.HexFormat.of().formatHex(hash);
  }
}
