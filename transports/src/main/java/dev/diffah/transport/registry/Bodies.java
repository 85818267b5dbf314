package dev.diffah.transport.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.diffah.model.Json;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reading response bodies: small documents with a size limit, and the registry's error JSON. */
final class Bodies {
  static final int MAX_ERROR_BODY = 64 * 1024;

  private Bodies() {}

  /** A heap copy of a Netty buffer's readable bytes; the buffer stays owned by Netty. */
  static ByteBuffer copy(ByteBuf buf) {
    ByteBuffer out = ByteBuffer.allocate(buf.readableBytes());
    buf.getBytes(buf.readerIndex(), out);
    return out.flip();
  }

  /** Collects a body into memory; more than {@code limit} bytes is an error. */
  static Mono<byte[]> bounded(Flux<ByteBuf> body, int limit) {
    return body.map(Bodies::copy)
        .reduce(
            new ByteArrayOutputStream(),
            (out, buf) -> {
              if (out.size() + buf.remaining() > limit) {
                throw new BodyTooLargeException(limit);
              }
              out.write(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
              return out;
            })
        .map(ByteArrayOutputStream::toByteArray);
  }

  /** The first bytes of an error body, enough to report what the registry said. */
  static Mono<byte[]> errorBody(Flux<ByteBuf> body) {
    return body.map(Bodies::copy)
        .reduce(
            new ByteArrayOutputStream(),
            (out, buf) -> {
              int room = MAX_ERROR_BODY - out.size();
              out.write(buf.array(), buf.arrayOffset() + buf.position(), Math.max(0, Math.min(room, buf.remaining())));
              return out;
            })
        .map(ByteArrayOutputStream::toByteArray)
        .onErrorReturn(new byte[0])
        .defaultIfEmpty(new byte[0]);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Errors(@JsonProperty("errors") List<Error> errors) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Error(@JsonProperty("code") String code, @JsonProperty("message") String message) {}

  /** "CODE: message; ..." from a registry error document, else the start of the text. */
  static String errorSummary(byte[] body) {
    try {
      Errors errors = Json.MAPPER.readValue(body, Errors.class);
      if (errors.errors() != null && !errors.errors().isEmpty()) {
        return errors.errors().stream()
            .map(e -> (e.code() == null ? "" : e.code() + ": ") + (e.message() == null ? "" : e.message()))
            .collect(Collectors.joining("; "));
      }
    } catch (IOException | RuntimeException notJson) {
      // fall through to the raw text
    }
    String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** A response larger than a document may be. */
  static final class BodyTooLargeException extends RuntimeException {
    BodyTooLargeException(int limit) {
      super("response body over " + limit + " bytes", null, false, false);
    }
  }
}
