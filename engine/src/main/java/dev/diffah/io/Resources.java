package dev.diffah.io;

import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Resources held for the length of a pipeline step. */
public final class Resources {
  private Resources() {}

  /**
   * Reactor's {@code usingWhen} for resources whose close releases or deletes files: closed on
   * completion, error and cancel alike, on a blocking-capable thread rather than the one that
   * completed or cancelled the step.
   */
  public static <R extends AutoCloseable, T> Mono<T> using(Mono<R> open, Function<R, Mono<T>> body) {
    Function<R, Mono<Void>> close =
        resource ->
            Mono.<Void>fromCallable(
                    () -> {
                      resource.close();
                      return null;
                    })
                .subscribeOn(Schedulers.boundedElastic());
    return Mono.usingWhen(open, body, close, (resource, error) -> close.apply(resource), close);
  }
}
