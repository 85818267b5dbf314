package dev.diffah.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class OrderedFetchTest {
  @TempDir Path spool;

  private static final List<Descriptor> BLOBS =
      IntStream.range(0, 8).mapToObj(i -> Descriptor.of(MediaTypes.OCI_LAYER, Digest.sha256(bytes(i)), bytes(i).length)).toList();

  private static byte[] bytes(int i) {
    return ("blob-" + i).repeat(1000 + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Blob i arrives after a delay that makes later blobs finish first. */
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  private Flux<ByteBuffer> slowContent(Descriptor d) {
    int i = BLOBS.indexOf(d);
    return Flux.defer(
        () -> {
          peak.accumulateAndGet(active.incrementAndGet(), Math::max);
          return Mono.delay(Duration.ofMillis(10L * (BLOBS.size() - i)))
              .thenMany(Flux.just(ByteBuffer.wrap(bytes(i))))
              .doFinally(s -> active.decrementAndGet());
        });
  }

  private static String drain(OrderedFetch.Fetched f) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    f.content().doOnNext(b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining())).blockLast();
    f.release();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void deliversInOrderWithBoundedConcurrencyAndRemovesSpoolFiles() throws Exception {
    Function<Descriptor, Flux<ByteBuffer>> content = this::slowContent;
    List<String> got =
        OrderedFetch.fetch(BLOBS, content, 3, spool)
            .concatMap(f -> Mono.fromCallable(() -> {
              assertThat(spoolFiles()).hasSizeLessThanOrEqualTo(3);
              return drain(f);
            }), 0)
            .collectList()
            .block(Duration.ofSeconds(10));

    assertThat(got).containsExactlyElementsOf(IntStream.range(0, 8).mapToObj(i -> new String(bytes(i), StandardCharsets.UTF_8)).toList());
    assertThat(peak.get()).isBetween(2, 3);
    awaitNoSpoolFiles(); // deletions run on boundedElastic
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  void oneJobStreamsDirectlyWithoutSpooling() {
    StepVerifier.create(OrderedFetch.fetch(BLOBS, this::slowContent, 1, spool).map(f -> f.spool().isPresent()))
        .expectNextCount(8)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(peak.get()).isZero(); // nothing was fetched: contents are only streamed when consumed
  }

  @Test
  void aFailingBlobCancelsTheOthersAndLeavesNoSpoolFiles() throws Exception {
    Function<Descriptor, Flux<ByteBuffer>> content =
        d -> BLOBS.indexOf(d) == 4 ? Flux.error(new IllegalStateException("boom")) : slowContent(d);
    StepVerifier.create(OrderedFetch.fetch(BLOBS, content, 4, spool).concatMap(f -> Mono.fromCallable(() -> drain(f).length()), 0))
        .thenConsumeWhile(length -> length > 0)
        .expectErrorMessage("boom")
        .verify(Duration.ofSeconds(10));
    awaitNoSpoolFiles();
    assertThat(spoolFiles()).isEmpty();
  }

  /** Polls the condition, bounded: deletion happens on another thread. */
  private void awaitNoSpoolFiles() throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!spoolFiles().isEmpty() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private List<Path> spoolFiles() throws Exception {
    try (Stream<Path> files = Files.list(spool)) {
      return files.toList();
    }
  }
}
