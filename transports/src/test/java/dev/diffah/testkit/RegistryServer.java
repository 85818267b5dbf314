package dev.diffah.testkit;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real distribution registry ({@code /usr/bin/docker-registry}, Debian package docker-registry)
 * on a free loopback port with its storage in a temporary directory, optionally behind htpasswd
 * Basic auth. Start it in a test's setup and {@link #close()} it after.
 */
public final class RegistryServer implements AutoCloseable {
  private static final String BINARY = "/usr/bin/docker-registry";
  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Optional<String> credentials;
  private final Path log;
  private final boolean tls;

  private RegistryServer(Process process, int port, Optional<String> credentials, Path log, boolean tls) {
    this.process = process;
    this.port = port;
    this.credentials = credentials;
    this.log = log;
    this.tls = tls;
  }

  /** An open registry: anyone may push and pull. */
  public static RegistryServer start(Path dir) {
    return start(dir, Optional.empty(), false);
  }

  /**
   * A registry serving HTTPS with a self-signed certificate for 127.0.0.1, written to
   * {@code dir/certs/ca.crt} (a directory usable as {@code --cert-dir}).
   */
  public static RegistryServer startWithTls(Path dir) {
    return start(dir, Optional.empty(), true);
  }

  /** A registry that only admits {@code user} with {@code password} (bcrypt htpasswd). */
  public static RegistryServer startWithBasicAuth(Path dir, String user, String password) {
    return start(dir, Optional.of(user + ":" + password), false);
  }

  private static RegistryServer start(Path dir, Optional<String> credentials, boolean tls) {
    try {
      int port = freePort();
      StringBuilder config = new StringBuilder();
      config.append("version: 0.1\n")
          .append("log:\n  level: info\n  accesslog:\n    disabled: false\n")
          .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("storage")).append("\n")
          .append("  delete:\n    enabled: true\n")
          .append("http:\n  addr: 127.0.0.1:").append(port).append("\n");
      if (tls) {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Tools.check(
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", dir.resolve("key.pem").toString(), "-out", certs.resolve("ca.crt").toString());
        config.append("  tls:\n    certificate: ").append(certs.resolve("ca.crt"))
            .append("\n    key: ").append(dir.resolve("key.pem")).append("\n");
      }
      if (credentials.isPresent()) {
        String[] userPass = credentials.get().split(":", 2);
        String line = Tools.check("htpasswd", "-Bbn", userPass[0], userPass[1]).strip();
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), line + "\n");
        config.append("auth:\n  htpasswd:\n    realm: diffah-test\n    path: ").append(htpasswd).append("\n");
      }
      Path configFile = Files.writeString(dir.resolve("config.yml"), config.toString());
      Path log = dir.resolve("registry.log");
      Process process =
          new ProcessBuilder(BINARY, "serve", configFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      RegistryServer server = new RegistryServer(process, port, credentials, log, tls);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + BINARY + ": " + e, e);
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** {@code docker://127.0.0.1:PORT/repository}. */
  public String ref(String repository) {
    return "docker://" + host() + "/" + repository;
  }

  /** Pushes an image with skopeo (plain HTTP, with this registry's credentials if it has any). */
  public void push(String sourceRef, String repository) {
    List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false"));
    credentials.ifPresent(c -> args.addAll(List.of("--dest-creds", c)));
    args.add(sourceRef);
    args.add(ref(repository));
    Tools.skopeo(args.toArray(String[]::new));
  }

  /** What the registry logged so far (access log lines included). */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("docker-registry exited " + process.exitValue() + ":\n" + log());
      }
      if (answers()) {
        return;
      }
      sleep();
    }
    close();
    throw new AssertionError("docker-registry did not answer on " + host() + " within " + STARTUP + ":\n" + log());
  }

  /** Any HTTP answer to /v2/ (200, or 401 with auth) means it is up; with TLS, a connection. */
  private boolean answers() {
    if (tls) {
      try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
        return socket.isConnected();
      } catch (IOException notYet) {
        return false;
      }
    }
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host() + "/v2/").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200 || code == 401;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
