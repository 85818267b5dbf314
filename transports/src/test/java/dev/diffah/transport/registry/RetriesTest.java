package dev.diffah.transport.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RetriesTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static HttpStatusException status(int code, Optional<Duration> retryAfter) {
    return new HttpStatusException(URI.create("http://r/v2/"), code, "", retryAfter, List.of());
  }

  @Test
  void retryAfterInSecondsOrAsADate() {
    assertThat(Retries.parseRetryAfter("7", CLOCK)).contains(Duration.ofSeconds(7));
    assertThat(Retries.parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", CLOCK)).contains(Duration.ofSeconds(30));
    assertThat(Retries.parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", CLOCK)).contains(Duration.ZERO);
    assertThat(Retries.parseRetryAfter("soon", CLOCK)).isEmpty();
    assertThat(Retries.parseRetryAfter(null, CLOCK)).isEmpty();
  }

  @Test
  void backoffDoublesAndRetryAfterRaisesItWithinTheCap() {
    Duration base = Duration.ofMillis(100);
    assertThat(Retries.delay(0, base, new IOException())).isEqualTo(Duration.ofMillis(100));
    assertThat(Retries.delay(3, base, new IOException())).isEqualTo(Duration.ofMillis(800));
    assertThat(Retries.delay(0, base, status(503, Optional.of(Duration.ofSeconds(2))))).isEqualTo(Duration.ofSeconds(2));
    assertThat(Retries.delay(0, base, status(429, Optional.of(Duration.ofHours(1))))).isEqualTo(Retries.MAX_DELAY);
  }

  @Test
  void onlyTransientFailuresAreRetried() {
    assertThat(Retries.isTransient(status(429, Optional.empty()))).isTrue();
    assertThat(Retries.isTransient(status(503, Optional.empty()))).isTrue();
    assertThat(Retries.isTransient(new IOException("connection reset"))).isTrue();
    assertThat(Retries.isTransient(status(401, Optional.empty()))).isFalse();
    assertThat(Retries.isTransient(status(404, Optional.empty()))).isFalse();
    assertThat(Retries.isTransient(new SSLHandshakeException("bad cert"))).isFalse();
  }
}
