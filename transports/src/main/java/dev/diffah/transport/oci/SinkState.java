package dev.diffah.transport.oci;

import reactor.core.publisher.Mono;

/** Tracks whether a sink is still usable: a failed or cancelled write breaks it for good. */
final class SinkState {
  private final String location;
  private volatile boolean broken;
  private volatile boolean committed;

  SinkState(String location) {
    this.location = location;
  }

  /** Runs {@code write} if the sink is usable, marking it broken if the write does not complete. */
  Mono<Void> guard(Mono<Void> write) {
    return Mono.defer(
        () -> {
          if (broken || committed) {
            return Mono.error(unusable());
          }
          return write.doOnError(e -> broken = true).doOnCancel(() -> broken = true);
        });
  }

  void markCommitted() {
    committed = true;
  }

  private IllegalStateException unusable() {
    return new IllegalStateException(
        "output " + location + (committed ? " is already committed" : " had a failed write and cannot be completed"));
  }
}
