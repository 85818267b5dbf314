package dev.diffah.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that gives every connection its own bandwidth cap and an added
 * latency, like a registry behind a slow link: parallel fetches then pay off as they would there.
 * Each exchange pays the latency once each way; a new connection's first request also waits a
 * round trip for the TCP handshake, so opening connections costs what it costs over a real link.
 *
 * <p>Usage: {@code ThrottlingProxy LISTEN_PORT TARGET_PORT BYTES_PER_SECOND LATENCY_MILLIS}
 */
public final class ThrottlingProxy {
  private static final int CHUNK = 16 * 1024;
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private ThrottlingProxy() {}

  public static void main(String[] args) throws IOException {
    int listen = Integer.parseInt(args[0]);
    int target = Integer.parseInt(args[1]);
    long bytesPerSecond = Long.parseLong(args[2]);
    long latencyMillis = Long.parseLong(args[3]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(listen, 50, loopback)) {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(loopback, target));
        pump(client, upstream, Long.MAX_VALUE, latencyMillis, 2 * latencyMillis);
        pump(upstream, client, bytesPerSecond, latencyMillis, 0);
      }
    }
  }

  /**
   * Copies {@code from} to {@code to} on a thread of its own, at most {@code rate} bytes/s; the
   * first bytes wait {@code setupMillis} more than the latency.
   */
  private static void pump(Socket from, Socket to, long rate, long latencyMillis, long setupMillis) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[CHUNK];
              // the first bytes come after a pause too: they pay the latency (and the set-up)
              long next = System.nanoTime() - IDLE_NANOS - 1;
              long extra = setupMillis;
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                  long now = System.nanoTime();
                  if (now - next > IDLE_NANOS) {
                    // a new exchange after a pause: it pays the latency, and idle time earns no
                    // credit, so its burst is capped too
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(latencyMillis + extra));
                    extra = 0;
                    next = System.nanoTime();
                  }
                  out.write(buf, 0, n);
                  next += (long) (n * 1e9 / rate);
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                }
              } catch (IOException closed) {
                // one side hung up: close both
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
