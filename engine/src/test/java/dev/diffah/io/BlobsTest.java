package dev.diffah.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.error.DigestMismatchException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class BlobsTest {
  @TempDir Path dir;

  @Test
  void readsARegionInBoundedChunksAndVerifiesIt() throws Exception {
    byte[] bytes = new byte[Blobs.CHUNK_SIZE * 3 + 17];
    new Random(1).nextBytes(bytes);
    Path file = Files.write(dir.resolve("blob"), bytes);
    Descriptor d = Descriptor.of("x", Digest.sha256(bytes), bytes.length);

    StepVerifier.create(Blobs.verify(Blobs.readFile(file), d, "test").map(ByteBuffer::remaining))
        .expectNext(Blobs.CHUNK_SIZE, Blobs.CHUNK_SIZE, Blobs.CHUNK_SIZE, 17)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void scanningARegionVerifiesItThroughOneReusedBuffer() throws Exception {
    byte[] bytes = new byte[(3 << 20) + 5];
    new Random(2).nextBytes(bytes);
    Path file = Files.write(dir.resolve("blob"), concat(new byte[100], bytes));
    Descriptor d = Descriptor.of("x", Digest.sha256(bytes), bytes.length);
    java.util.Set<Long> addresses = new java.util.HashSet<>();

    StepVerifier.create(Blobs.verify(Blobs.scanRegion(file, 100, bytes.length), d, "test").map(ByteBuffer::remaining))
        .expectNext(1 << 20, 1 << 20, 1 << 20, 5)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    Blobs.scanRegion(file, 100, bytes.length).doOnNext(buf -> addresses.add((long) System.identityHashCode(buf))).blockLast();
    assertThat(addresses).hasSize(1);

    bytes[bytes.length - 1] ^= 1;
    Descriptor other = Descriptor.of("x", Digest.sha256(bytes), bytes.length);
    StepVerifier.create(Blobs.verify(Blobs.scanRegion(file, 100, bytes.length), other, "test").then())
        .expectError(DigestMismatchException.class)
        .verify(Duration.ofSeconds(10));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void failsWhenTheDigestLies() {
    byte[] bytes = {1, 2, 3};
    Descriptor d = Descriptor.of("x", Digest.sha256(new byte[] {1, 2, 4}), 3);
    StepVerifier.create(Blobs.verify(Blobs.of(bytes), d, "test"))
        .expectNextCount(1)
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DigestMismatchException.class).hasMessageContaining("digest does not match"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void failsAsSoonAsTooManyBytesArrive() {
    Descriptor d = Descriptor.of("x", Digest.sha256(new byte[2]), 2);
    StepVerifier.create(Blobs.verify(Flux.just(ByteBuffer.wrap(new byte[2]), ByteBuffer.wrap(new byte[1])), d, "test"))
        .expectNextCount(1)
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("more than the expected 2 bytes"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void failsWhenBytesAreMissing() {
    byte[] bytes = {1, 2, 3};
    Descriptor d = Descriptor.of("x", Digest.sha256(bytes), 4);
    StepVerifier.create(Blobs.verify(Blobs.of(bytes), d, "test"))
        .expectNextCount(1)
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("3 bytes where 4 were expected"))
        .verify(Duration.ofSeconds(5));
  }
}
