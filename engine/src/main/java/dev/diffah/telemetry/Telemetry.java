package dev.diffah.telemetry;

import dev.diffah.model.Descriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Metrics (Micrometer) and progress for one {@link dev.diffah.Diffah}: bytes and blobs per source,
 * time per stage. Counting happens where bytes already flow, so it costs no extra pass.
 */
public final class Telemetry {
  public static final String BYTES = "diffah.blob.bytes";
  public static final String BLOBS = "diffah.blobs";
  public static final String STAGE = "diffah.stage";

  private final MeterRegistry registry;
  private final ProgressListener progress;

  public Telemetry(MeterRegistry registry, ProgressListener progress) {
    this.registry = registry;
    this.progress = progress;
  }

  /** Announces the blobs about to move. */
  public void planned(List<Descriptor> blobs) {
    progress.planned(blobs.size(), blobs.stream().mapToLong(Descriptor::size).sum());
  }

  /** Counts a blob's bytes as they are read from {@code source}, and reports progress. */
  public Flux<ByteBuffer> track(Flux<ByteBuffer> content, Descriptor blob, String source) {
    Counter bytes = Counter.builder(BYTES).tag("source", source).description("blob bytes read").baseUnit("bytes").register(registry);
    Counter blobs = Counter.builder(BLOBS).tag("source", source).description("blobs read and verified").register(registry);
    return content
        .doOnSubscribe(s -> progress.started(blob, source))
        .doOnNext(
            buf -> {
              bytes.increment(buf.remaining());
              progress.advanced(blob, buf.remaining());
            })
        .doOnComplete(
            () -> {
              blobs.increment();
              progress.finished(blob);
            });
  }

  /** Times a stage of a pipeline, whatever its outcome. */
  public <T> Mono<T> timed(String stage, Mono<T> work) {
    return Mono.defer(
        () -> {
          Timer.Sample sample = Timer.start(registry);
          Timer timer = Timer.builder(STAGE).tag("stage", stage).description("time spent per pipeline stage").register(registry);
          return work.doFinally(signal -> sample.stop(timer));
        });
  }

  public MeterRegistry registry() {
    return registry;
  }
}
