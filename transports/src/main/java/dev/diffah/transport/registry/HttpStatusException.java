package dev.diffah.transport.registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A registry answered with a status the executor does not handle by itself. Internal: the executor
 * turns it into a typed diffah error once retries and authentication are exhausted.
 */
final class HttpStatusException extends RuntimeException {
  private final URI uri;
  private final int status;
  private final String detail;
  private final Optional<Duration> retryAfter;
  private final List<Challenge> challenges;

  HttpStatusException(URI uri, int status, String detail, Optional<Duration> retryAfter, List<Challenge> challenges) {
    super(status + " from " + uri + (detail.isEmpty() ? "" : ": " + detail), null, false, false);
    this.uri = uri;
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.challenges = List.copyOf(challenges);
  }

  URI uri() {
    return uri;
  }

  int status() {
    return status;
  }

  String detail() {
    return detail;
  }

  Optional<Duration> retryAfter() {
    return retryAfter;
  }

  List<Challenge> challenges() {
    return challenges;
  }

  /** Too many requests and server-side failures may pass; anything else will not. */
  boolean isTransient() {
    return status == 429 || status == 408 || status >= 500;
  }

  boolean isAuthFailure() {
    return status == 401 || status == 403;
  }
}
