package dev.diffah.transport.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.diffah.error.EnvironmentException;
import dev.diffah.model.Json;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The authentication state of one registry client: the challenge the registry last sent, and for
 * bearer challenges the token, fetched once and shared by concurrent requests until it expires or
 * the registry rejects it.
 */
final class RegistryAuth {
  private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final int MAX_TOKEN_RESPONSE = 1 << 20;

  private final RegistryHttp http;
  private final Scheduler timer;
  private final Optional<Credentials> credentials;
  private final String pullScope;
  private final AtomicReference<Challenge> challenge = new AtomicReference<>();
  private final AtomicReference<Mono<String>> token = new AtomicReference<>();

  RegistryAuth(RegistryHttp http, Optional<Credentials> credentials, String repository, Scheduler timer) {
    this.http = http;
    this.timer = timer;
    this.credentials = credentials;
    this.pullScope = "repository:" + repository + ":pull";
  }

  boolean hasCredentials() {
    return credentials.isPresent();
  }

  /** Remembers the challenge of an anonymous probe, so later requests authenticate up front. */
  void learn(List<Challenge> challenges) {
    pick(challenges).ifPresent(c -> {
      challenge.set(c);
      token.set(null);
    });
  }

  /** The Authorization header to send now, if the registry asked for one. */
  Mono<Optional<String>> header() {
    Challenge c = challenge.get();
    if (c == null) {
      return Mono.just(Optional.empty());
    }
    if (c.isBasic()) {
      return Mono.just(credentials.map(Credentials::basicHeader));
    }
    return bearerToken(c).map(t -> Optional.of("Bearer " + t));
  }

  /**
   * Reacts to a 401: adopts its challenge and gives the header to retry with, or empty when
   * retrying cannot help (no usable challenge, or Basic credentials already refused).
   */
  Mono<Optional<String>> renew(List<Challenge> challenges, Optional<String> refused) {
    Optional<Challenge> next = pick(challenges);
    if (next.isEmpty()) {
      return Mono.just(Optional.empty());
    }
    Challenge c = next.get();
    if (c.isBasic() && (credentials.isEmpty() || refused.isPresent())) {
      return Mono.just(Optional.empty());
    }
    challenge.set(c);
    token.set(null);
    return header();
  }

  private static Optional<Challenge> pick(List<Challenge> challenges) {
    return challenges.stream()
        .filter(Challenge::isBearer)
        .findFirst()
        .or(() -> challenges.stream().filter(Challenge::isBasic).findFirst());
  }

  /** The shared token request; cached for the token's lifetime, never cached on failure. */
  private Mono<String> bearerToken(Challenge c) {
    Mono<String> fresh =
        fetchToken(c)
            .cache(t -> t.reuseFor(), e -> Duration.ZERO, () -> Duration.ZERO, timer)
            .map(TokenResponse::value);
    return token.updateAndGet(current -> current != null ? current : fresh);
  }

  private Mono<TokenResponse> fetchToken(Challenge c) {
    String realm = c.param("realm").orElse("");
    URI uri;
    try {
      uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query(c));
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      return Mono.error(new EnvironmentException(
          "the registry's token realm '" + realm + "' is not a URL", "the registry is misconfigured; report it to its operator", e));
    }
    return http.forUri(uri)
        .headers(h -> credentials.ifPresent(cr -> h.set(HttpHeaderNames.AUTHORIZATION, cr.basicHeader())))
        .get()
        .uri(uri)
        .response((res, body) -> Bodies.bounded(body, MAX_TOKEN_RESPONSE).map(bytes -> parse(uri, res.status().code(), bytes)))
        .next();
  }

  /** service and every scope: the one the challenge asked for and pull on our repository. */
  private String query(Challenge c) {
    Set<String> scopes = new LinkedHashSet<>();
    c.param("scope").ifPresent(scopes::add);
    scopes.add(pullScope);
    String service = c.param("service").map(s -> "service=" + encode(s) + "&").orElse("");
    return service + scopes.stream().map(s -> "scope=" + encode(s)).collect(Collectors.joining("&"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static TokenResponse parse(URI uri, int status, byte[] body) {
    if (status != 200) {
      throw new HttpStatusException(uri, status, Bodies.errorSummary(body), Optional.empty(), List.of());
    }
    try {
      TokenResponse response = Json.MAPPER.readValue(body, TokenResponse.class);
      if (response.value() == null) {
        throw new IOException("neither token nor access_token");
      }
      return response;
    } catch (IOException e) {
      throw new EnvironmentException(
          "token server " + uri.getHost() + " sent an unusable answer: " + e.getMessage(),
          "the registry's token service is misbehaving; try again later", e);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  record TokenResponse(
      @JsonProperty("token") String token,
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("expires_in") Long expiresIn) {

    String value() {
      return token != null && !token.isEmpty() ? token : accessToken;
    }

    /** The token's lifetime less a margin, so it is renewed before the server rejects it. */
    Duration reuseFor() {
      Duration lifetime = expiresIn == null || expiresIn <= 0 ? DEFAULT_TOKEN_LIFETIME : Duration.ofSeconds(expiresIn);
      Duration margin = lifetime.dividedBy(10);
      return lifetime.minus(margin.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : margin);
    }
  }
}
