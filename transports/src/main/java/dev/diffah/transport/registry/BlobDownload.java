package dev.diffah.transport.registry;

import dev.diffah.error.ContentException;
import dev.diffah.model.Descriptor;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One streamed blob download that survives dropped connections. After a drop it asks for the rest
 * with {@code Range}; a {@code 206} starting where it stopped continues the stream, any other answer
 * (a 200 with the whole blob, or a range starting earlier) is read from its start and the bytes
 * already delivered are skipped, so the subscriber never sees a byte twice. The engine checks size
 * and digest over everything delivered.
 */
final class BlobDownload {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

  private final RegistryExecutor executor;
  private final Descriptor descriptor;
  private long delivered;

  private BlobDownload(RegistryExecutor executor, Descriptor descriptor) {
    this.executor = executor;
    this.descriptor = descriptor;
  }

  /** A cold stream: each subscription downloads afresh. */
  static Flux<ByteBuffer> stream(RegistryExecutor executor, Descriptor descriptor) {
    return Flux.defer(() -> new BlobDownload(executor, descriptor).run());
  }

  private Flux<ByteBuffer> run() {
    return executor.exchange(this::request, this::receive);
  }

  private RegistryRequest request() {
    RegistryRequest get =
        RegistryRequest.get(
            "/v2/" + executor.reference().repository() + "/blobs/" + descriptor.digest(), "blob " + descriptor.digest());
    return delivered == 0 ? get : get.withHeader(HttpHeaderNames.RANGE.toString(), "bytes=" + delivered + "-");
  }

  private Flux<ByteBuffer> receive(HttpClientResponse response, ByteBufFlux body) {
    long start = response.status().code() == 206 ? rangeStart(response) : 0;
    if (start > delivered) {
      return Flux.error(
          new ContentException(
              executor.reference() + ": blob " + descriptor.digest() + ": the registry resumed at byte " + start + " instead of " + delivered,
              "the registry's range support is broken; try again"));
    }
    long[] skip = {delivered - start};
    return body.<ByteBuffer>handle((buf, sink) -> {
          ByteBuffer fresh = unseen(buf, skip);
          if (fresh != null) {
            delivered += fresh.remaining();
            sink.next(fresh);
          }
        })
        .concatWith(Mono.defer(this::checkComplete));
  }

  /** The part of {@code buf} past the {@code skip} bytes already delivered, or null. */
  private static ByteBuffer unseen(ByteBuf buf, long[] skip) {
    int readable = buf.readableBytes();
    if (skip[0] >= readable) {
      skip[0] -= readable;
      return null;
    }
    buf.skipBytes((int) skip[0]);
    skip[0] = 0;
    return Bodies.copy(buf);
  }

  /** A body that ends early is a dropped connection: retried, resuming where it stopped. */
  private Mono<ByteBuffer> checkComplete() {
    if (delivered < descriptor.size()) {
      return Mono.error(new IOException("connection closed after " + delivered + " of " + descriptor.size() + " bytes"));
    }
    return Mono.empty();
  }

  private long rangeStart(HttpClientResponse response) {
    String header = response.responseHeaders().get(HttpHeaderNames.CONTENT_RANGE);
    Matcher m = header == null ? null : CONTENT_RANGE.matcher(header.trim());
    if (m == null || !m.matches()) {
      return 0;
    }
    return Long.parseLong(m.group(1));
  }
}
