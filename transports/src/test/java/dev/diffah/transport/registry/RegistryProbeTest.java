package dev.diffah.transport.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the client finds a registry's scheme when TLS verification is off. */
class RegistryProbeTest {
  private static final RegistryOptions NO_VERIFY = RegistryOptions.defaults().withTlsVerify(false).withEnvironment(Map.of());

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private StallingFront front;

  @AfterEach
  void stop() throws IOException {
    if (front != null) {
      front.close();
    }
  }

  @Test
  void plainHttpIsAskedWhileTheTlsAttemptIsStillUnderWay() throws Exception {
    FakeImage image = FakeImage.load("v1_oci.tar");
    new FakeRegistry(wm, "a/b").serve("v1", image);
    front = new StallingFront(wm.getPort());
    var ref =
        ((DockerReference) Transports.parse("docker://127.0.0.1:" + front.port() + "/a/b:v1", NO_VERIFY)).withBackoff(Duration.ofMillis(10));
    ImageSource source = ref.openSource().block(Duration.ofSeconds(10));

    CompletableFuture<RawManifest> manifest = source.manifest().toFuture();
    waitUntil(() -> !wm.findAll(getRequestedFor(urlEqualTo("/v2/"))).isEmpty());
    assertThat(wm.findAll(getRequestedFor(urlEqualTo("/v2/")))).as("GET /v2/ over plain HTTP").hasSize(1);
    assertThat(front.stalledTls()).as("the TLS attempt, held open").hasSize(1);
    assertThat(manifest).isNotDone(); // https is preferred: its answer is still awaited

    front.releaseTls();
    assertThat(manifest.get(10, TimeUnit.SECONDS).digest()).isEqualTo(image.manifest().digest());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    // well under the 10 s TLS handshake timeout, after which https would fail anyway
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * A port that holds TLS connections open without answering until told to close them (later ones
   * it closes at once), and passes plain HTTP connections on to {@code target}.
   */
  private static final class StallingFront implements AutoCloseable {
    private static final int TLS_HANDSHAKE_RECORD = 0x16;

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> stalled = new CopyOnWriteArrayList<>();
    private volatile boolean released;
    private final int target;

    StallingFront(int target) throws IOException {
      this.target = target;
      Thread accept = new Thread(this::acceptAll, "stalling-front");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    List<Socket> stalledTls() {
      return stalled;
    }

    void releaseTls() throws IOException {
      released = true;
      for (Socket s : stalled) {
        s.close();
      }
    }

    private void acceptAll() {
      try {
        while (true) {
          Socket client = server.accept();
          PushbackInputStream in = new PushbackInputStream(client.getInputStream());
          int first = in.read();
          if (first == TLS_HANDSHAKE_RECORD) {
            if (released) {
              client.close();
            } else {
              stalled.add(client);
            }
            continue;
          }
          in.unread(first);
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
          pipe(in, upstream.getOutputStream());
          pipe(upstream.getInputStream(), client.getOutputStream());
        }
      } catch (IOException closed) {
        // the test is over
      }
    }

    private static void pipe(InputStream from, OutputStream to) {
      Thread t =
          new Thread(
              () -> {
                try (from; to) {
                  from.transferTo(to);
                } catch (IOException closed) {
                  // one side hung up
                }
              },
              "stalling-front-pipe");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      releaseTls();
      server.close();
    }
  }
}
