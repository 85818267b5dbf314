package dev.diffah.transport.registry;

import dev.diffah.error.IoErrors;
import dev.diffah.error.UsageException;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.SslProvider;

/**
 * The two HTTP clients a registry is reached with: plain (only used for {@code http://} URLs, which
 * {@code --tls-verify=false} allows) and TLS, trusting the JDK's CAs plus those of {@code --cert-dir},
 * or anything at all when verification is off.
 */
final class RegistryHttp {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  /** Whether this process has made a registry client, and so started Netty's threads. */
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private final HttpClient plain;
  private final HttpClient secure;

  private RegistryHttp(HttpClient plain, HttpClient secure) {
    this.plain = plain;
    this.secure = secure;
  }

  static RegistryHttp create(RegistryOptions options) {
    STARTED.set(true);
    HttpClient base =
        HttpClient.create()
            .followRedirect(false)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
            .responseTimeout(RESPONSE_TIMEOUT);
    TrustManagerFactory trust = trust(options);
    HttpClient secure =
        base.secure(
            spec -> {
              SslProvider.GenericSslContextSpec<?> context = Http11SslContextSpec.forClient().configure(b -> b.trustManager(trust));
              var ssl = spec.sslContext(context);
              if (!options.tlsVerify()) {
                ssl.handlerConfigurator(handler -> skipHostnameCheck(handler.engine()));
              }
            });
    return new RegistryHttp(base, secure);
  }

  /**
   * Stops Netty's threads, if this process started them, for a process about to exit: idle, they
   * wait in native code, and the JVM gives such threads ~300 ms to return before it exits. They
   * start again if a registry is used afterwards.
   */
  static Mono<Void> releaseThreads() {
    if (!STARTED.get()) {
      return Mono.empty();
    }
    // a release that fails or lags only costs the exit delay it saves
    return HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, Duration.ofSeconds(1)).onErrorComplete();
  }

  /** The client for {@code uri}'s scheme. */
  HttpClient forUri(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme()) ? secure : plain;
  }

  private static void skipHostnameCheck(SSLEngine engine) {
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm(null);
    engine.setSSLParameters(params);
  }

  private static TrustManagerFactory trust(RegistryOptions options) {
    if (!options.tlsVerify()) {
      return InsecureTrustManagerFactory.INSTANCE;
    }
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (options.certDir().isEmpty()) {
        tmf.init((KeyStore) null);
        return tmf;
      }
      tmf.init(withCertDir(options.certDir().get()));
      return tmf;
    } catch (GeneralSecurityException e) {
      throw new UsageException("cannot set up TLS trust: " + e.getMessage(), "check the certificates in --cert-dir");
    }
  }

  /** The JDK's trusted CAs plus every {@code *.crt} file in {@code dir} (the containers convention). */
  private static KeyStore withCertDir(Path dir) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw IoErrors.wrap("creating a trust store", e);
    }
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    int n = 0;
    for (var tm : jdk.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        for (X509Certificate ca : x509.getAcceptedIssuers()) {
          store.setCertificateEntry("jdk-" + n++, ca);
        }
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException("--cert-dir " + dir + " is not a directory", "pass a directory holding *.crt CA files");
    }
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          for (Certificate cert : factory.generateCertificates(in)) {
            store.setCertificateEntry("dir-" + n++, cert);
          }
        } catch (CertificateException e) {
          throw new UsageException("--cert-dir file " + file + " is not a PEM certificate: " + e.getMessage(), "remove or fix it");
        }
      }
    } catch (IOException e) {
      throw IoErrors.wrap("reading --cert-dir " + dir, e);
    }
    return store;
  }
}
