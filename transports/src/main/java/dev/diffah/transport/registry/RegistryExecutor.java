package dev.diffah.transport.registry;

import dev.diffah.error.ContentException;
import dev.diffah.error.DiffahException;
import dev.diffah.error.EnvironmentException;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Runs every request to one repository of one registry. It owns what each call would otherwise
 * repeat: finding the scheme ({@code https}, or {@code http} when TLS verification is off and the
 * registry speaks plain HTTP), authentication (401 → challenge → token → one retry), retries of
 * transient failures with backoff, redirects (Authorization dropped when leaving the registry's
 * origin), and turning failures into diffah's typed errors.
 */
final class RegistryExecutor {
  /** What to do with a successful (2xx) response. */
  @FunctionalInterface
  interface Handler<T> {
    Publisher<T> handle(HttpClientResponse response, ByteBufFlux body);
  }

  private static final int MAX_REDIRECTS = 5;
  static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);

  private final RegistryReference reference;
  private final RegistryOptions options;
  private final RegistryHttp http;
  private final RegistryAuth auth;
  private final Duration backoff;
  private final Mono<URI> base;

  RegistryExecutor(RegistryReference reference, RegistryOptions options, Duration backoff) {
    this.reference = reference;
    this.options = options;
    this.http = RegistryHttp.create(options);
    this.auth = new RegistryAuth(http, CredentialStore.lookup(options, reference), reference.repository(), options.timer());
    this.backoff = backoff;
    this.base = probe().cache(uri -> Duration.ofDays(365), e -> Duration.ZERO, () -> Duration.ZERO);
  }

  RegistryReference reference() {
    return reference;
  }

  /**
   * Sends the request {@code request} supplies (asked again on each attempt, so a retry can carry
   * a Range header) and hands a 2xx response to {@code handler}. A handler's publisher that fails
   * with an I/O error is retried like a dropped connection.
   */
  <T> Flux<T> exchange(Supplier<RegistryRequest> request, Handler<T> handler) {
    return Flux.defer(
            () -> {
              RegistryRequest req = request.get();
              return base.flatMapMany(root -> authorised(root.resolve(req.path()), req, handler));
            })
        .retryWhen(Retries.spec(options.retryTimes(), backoff, retries()))
        .onErrorMap(t -> translate(t, request.get().what()));
  }

  private Counter retries() {
    return Counter.builder("diffah.registry.retries")
        .tag("registry", reference.registry())
        .description("registry requests retried after a transient failure")
        .register(options.meters());
  }

  private <T> Flux<T> authorised(URI uri, RegistryRequest req, Handler<T> handler) {
    return auth.header()
        .flatMapMany(
            header ->
                send(uri, req, header, handler, 0)
                    .onErrorResume(
                        RegistryExecutor::isUnauthorized,
                        e ->
                            auth.renew(((HttpStatusException) e).challenges(), header)
                                .flatMapMany(
                                    renewed -> renewed.isEmpty() ? Flux.error(e) : send(uri, req, renewed, handler, 0))));
  }

  private <T> Flux<T> send(URI uri, RegistryRequest req, Optional<String> authorization, Handler<T> handler, int hops) {
    return http.forUri(uri)
        .headers(
            h -> {
              req.headers().forEach(h::set);
              authorization.ifPresent(a -> h.set(HttpHeaderNames.AUTHORIZATION, a));
            })
        .request(req.method())
        .uri(uri)
        .response((res, body) -> classify(uri, res, body, handler))
        .onErrorResume(
            Redirect.class,
            r -> {
              if (hops >= MAX_REDIRECTS) {
                return Flux.error(new EnvironmentException(
                    req.what() + ": more than " + MAX_REDIRECTS + " redirects, last to " + r.location,
                    "the registry is misconfigured; report it to its operator", null));
              }
              return send(r.location, req, sameOrigin(uri, r.location) ? authorization : Optional.empty(), handler, hops + 1);
            });
  }

  private <T> Publisher<T> classify(URI uri, HttpClientResponse res, ByteBufFlux body, Handler<T> handler) {
    int status = res.status().code();
    if (status >= 200 && status < 300) {
      return handler.handle(res, body);
    }
    String location = res.responseHeaders().get(HttpHeaderNames.LOCATION);
    if (isRedirect(status) && location != null) {
      return body.then(Mono.error(new Redirect(uri.resolve(location))));
    }
    return Bodies.errorBody(body).flatMap(bytes -> Mono.error(statusError(uri, res.responseHeaders(), status, bytes)));
  }

  private static HttpStatusException statusError(URI uri, HttpHeaders headers, int status, byte[] body) {
    return new HttpStatusException(
        uri,
        status,
        Bodies.errorSummary(body),
        Retries.parseRetryAfter(headers.get(HttpHeaderNames.RETRY_AFTER), Clock.systemUTC()),
        Challenge.parseAll(String.join(", ", headers.getAll(HttpHeaderNames.WWW_AUTHENTICATE))));
  }

  /**
   * Finds the registry's base URL with an anonymous {@code GET /v2/}: https, or, when TLS
   * verification is off and https fails short of an HTTP answer, plain http. A 401 here teaches the
   * client how to authenticate.
   */
  private Mono<URI> probe() {
    URI https = URI.create("https://" + reference.apiHost() + "/");
    Mono<Pong> found =
        options.tlsVerify() ? ping(https) : preferring(ping(https), ping(URI.create("http://" + reference.apiHost() + "/")));
    return found.map(
        pong -> {
          auth.learn(pong.challenges());
          return pong.root();
        });
  }

  /** What {@code GET /v2/} answered at a base URL: the challenges of a 401, if any. */
  private record Pong(URI root, List<Challenge> challenges) {}

  /**
   * The answer of {@code preferred}, unless it fails short of an HTTP answer: then that of {@code
   * spare}. Both are asked at once, so the spare's answer is ready when it is needed (a TLS attempt
   * at a plain-HTTP registry fails only after its handshake); the one not used is cancelled.
   */
  private static Mono<Pong> preferring(Mono<Pong> preferred, Mono<Pong> spare) {
    return Flux.merge(preferred.materialize().map(s -> new Race(s, null)), spare.materialize().map(s -> new Race(null, s)))
        .scan(Race::join)
        .concatMap(race -> Mono.justOrEmpty(race.outcome()))
        .next()
        .flatMap(outcome -> outcome);
  }

  /** The answers of a {@link #preferring} race so far (null: not in yet). */
  private record Race(Signal<Pong> preferred, Signal<Pong> spare) {
    Race join(Race next) {
      return new Race(next.preferred != null ? next.preferred : preferred, next.spare != null ? next.spare : spare);
    }

    Optional<Mono<Pong>> outcome() {
      if (preferred == null) {
        return Optional.empty();
      }
      if (!preferred.isOnError() || preferred.getThrowable() instanceof HttpStatusException) {
        return Optional.of(Mono.just(preferred).dematerialize());
      }
      return Optional.ofNullable(spare).map(s -> Mono.just(s).dematerialize());
    }
  }

  private Mono<Pong> ping(URI root) {
    URI uri = root.resolve("/v2/");
    return Mono.defer(
            () ->
                http.forUri(uri)
                    .get()
                    .uri(uri)
                    .response(
                        (res, body) -> {
                          int status = res.status().code();
                          if (status >= 500 || status == 429) {
                            return Bodies.errorBody(body).flatMap(b -> Mono.error(statusError(uri, res.responseHeaders(), status, b)));
                          }
                          List<Challenge> challenges =
                              status == 401
                                  ? Challenge.parseAll(String.join(", ", res.responseHeaders().getAll(HttpHeaderNames.WWW_AUTHENTICATE)))
                                  : List.of();
                          return body.then(Mono.just(new Pong(root, challenges)));
                        })
                    .next())
        .retryWhen(Retries.spec(options.retryTimes(), backoff, retries()));
  }

  private static boolean isUnauthorized(Throwable t) {
    return t instanceof HttpStatusException s && s.status() == 401;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Maps what is left after retries and authentication to diffah's error types. */
  private Throwable translate(Throwable t, String what) {
    String where = reference + ": " + what;
    if (t instanceof DiffahException) {
      return t;
    }
    if (t instanceof HttpStatusException s) {
      return fromStatus(s, where);
    }
    if (t instanceof Bodies.BodyTooLargeException) {
      return new ContentException(where + ": " + t.getMessage(), "the registry sent more than a manifest may hold; check the reference");
    }
    if (t instanceof SSLException && String.valueOf(t.getMessage()).contains("not an SSL/TLS record")) {
      return new EnvironmentException(
          where + ": registry " + reference.apiHost() + " answered in plain HTTP, not TLS",
          "for a registry you trust, pass --tls-verify=false (which allows plain HTTP)",
          t);
    }
    if (t instanceof SSLException) {
      return new EnvironmentException(
          where + ": TLS with " + reference.apiHost() + " failed: " + t.getMessage(),
          "pass --cert-dir DIR with the registry's CA certificate (*.crt), or --tls-verify=false for a registry you trust (also allows plain HTTP)",
          t);
    }
    if (t instanceof IOException || t instanceof TimeoutException) {
      return new EnvironmentException(
          where + ": cannot reach registry " + reference.apiHost() + " (" + describe(t) + ")",
          "check the host name, port and network" + (options.tlsVerify() ? "; a plain-HTTP registry needs --tls-verify=false" : ""),
          t);
    }
    return t;
  }

  private Throwable fromStatus(HttpStatusException s, String where) {
    String said = s.status() + (s.detail().isEmpty() ? "" : " " + s.detail());
    if (s.isAuthFailure()) {
      return new RegistryAuthException(
          where + ": registry " + reference.registry() + " denied access to " + reference.repository() + " (" + said + ")",
          auth.hasCredentials()
              ? "check the credentials for " + reference.registry() + " (--creds USER:PASS, --authfile) and that they may pull " + reference.repository()
              : "no credentials found for " + reference.registry() + "; pass --creds USER:PASS or --authfile PATH");
    }
    if (s.status() == 404) {
      return new RegistryNotFoundException(where + ": not found on " + reference.registry() + " (" + said + ")");
    }
    if (s.isTransient()) {
      return new EnvironmentException(
          where + ": registry " + reference.registry() + " kept answering " + said + " (" + options.retryTimes() + " retries)",
          "the registry is overloaded or failing; try again later or raise --retry-times", s);
    }
    return new EnvironmentException(
        where + ": registry " + reference.registry() + " refused the request (" + said + ")",
        "check the reference and the registry's logs", s);
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** A 3xx with a Location to follow. */
  private static final class Redirect extends RuntimeException {
    final URI location;

    Redirect(URI location) {
      super("redirect to " + location, null, false, false);
      this.location = location;
    }
  }
}
