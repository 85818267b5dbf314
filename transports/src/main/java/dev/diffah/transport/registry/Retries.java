package dev.diffah.transport.registry;

import io.micrometer.core.instrument.Counter;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * When and how long to wait before trying a registry request again: transient statuses (429, 5xx)
 * and dropped connections are retried with exponential backoff, waiting at least as long as the
 * server's {@code Retry-After}. Progress (a received item) resets the count, so a long download that
 * resumes after each drop is not cut short.
 */
final class Retries {
  static final Duration MAX_DELAY = Duration.ofSeconds(60);

  private Retries() {}

  /** The policy; each retry taken is counted on {@code retries}. */
  static Retry spec(int times, Duration base, Counter retries) {
    return Retry.from(
        signals ->
            signals.concatMap(
                signal -> {
                  Throwable failure = signal.failure();
                  long attempt = signal.totalRetriesInARow();
                  if (!isTransient(failure) || attempt >= times) {
                    return Mono.error(failure);
                  }
                  retries.increment();
                  return Mono.delay(delay(attempt, base, failure));
                }));
  }

  static boolean isTransient(Throwable t) {
    if (t instanceof HttpStatusException s) {
      return s.isTransient();
    }
    if (t instanceof SSLException) {
      return false;
    }
    return t instanceof IOException || t instanceof TimeoutException;
  }

  /** Exponential backoff from {@code base}, raised to the server's Retry-After, capped. */
  static Duration delay(long attempt, Duration base, Throwable failure) {
    Duration backoff = base.multipliedBy(1L << Math.min(attempt, 16));
    if (failure instanceof HttpStatusException s && s.retryAfter().isPresent()) {
      Duration asked = s.retryAfter().get();
      backoff = asked.compareTo(backoff) > 0 ? asked : backoff;
    }
    return backoff.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : backoff;
  }

  /** Parses a Retry-After value: delay seconds or an HTTP date. */
  static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        var when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), when.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
