package dev.diffah.transport.registry;

import dev.diffah.error.ContentException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads an image from a registry (Registry HTTP API v2 / OCI distribution). Manifest digests are
 * computed from the bytes received; {@code Docker-Content-Digest} is not trusted.
 */
final class RegistrySource implements ImageSource {
  private static final String ACCEPT =
      String.join(
          ", ", List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST));
  private static final List<String> SCHEMA1 =
      List.of("application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v1+prettyjws");

  private final ImageReference reference;
  private final RegistryReference name;
  private final RegistryExecutor executor;

  RegistrySource(ImageReference reference, RegistryExecutor executor) {
    this.reference = reference;
    this.name = executor.reference();
    this.executor = executor;
  }

  @Override
  public ImageReference reference() {
    return reference;
  }

  @Override
  public Mono<RawManifest> manifest() {
    return fetchManifest(name.manifestReference(), name.digest())
        .onErrorMap(
            RegistryNotFoundException.class,
            e -> new UsageException(e.getMessage(), "check the repository and tag (skopeo list-tags docker://" + name.registry() + "/" + name.repository() + ")"));
  }

  @Override
  public Mono<RawManifest> manifest(Descriptor descriptor) {
    return fetchManifest(descriptor.digest().toString(), Optional.of(descriptor.digest()));
  }

  @Override
  public Flux<ByteBuffer> blob(Descriptor descriptor) {
    return BlobDownload.stream(executor, descriptor);
  }

  @Override
  public Mono<Boolean> hasBlob(Descriptor descriptor) {
    String path = "/v2/" + name.repository() + "/blobs/" + descriptor.digest();
    return executor
        .exchange(() -> RegistryRequest.head(path, "blob " + descriptor.digest()), (res, body) -> body.then(Mono.just(true)))
        .next()
        .onErrorResume(RegistryNotFoundException.class, e -> Mono.just(false));
  }

  @Override
  public Optional<String> imageName() {
    return name.imageName();
  }

  @Override
  public boolean fetchesOverNetwork() {
    return true;
  }

  @Override
  public void close() {
    // connections are pooled by reactor-netty and released after each exchange
  }

  private Mono<RawManifest> fetchManifest(String ref, Optional<Digest> expected) {
    String path = "/v2/" + name.repository() + "/manifests/" + ref;
    return executor
        .exchange(
            () -> RegistryRequest.get(path, "manifest " + ref).withHeader(HttpHeaderNames.ACCEPT.toString(), ACCEPT),
            (res, body) ->
                Bodies.bounded(body, Json.MAX_DOCUMENT_BYTES)
                    .map(bytes -> toManifest(ref, bytes, res.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE))))
        .next()
        .map(raw -> verify(ref, raw, expected));
  }

  private RawManifest toManifest(String ref, byte[] bytes, String contentType) {
    String declared = contentType == null ? null : contentType.split(";", 2)[0].trim();
    if (declared != null && SCHEMA1.contains(declared)) {
      throw schema1(ref);
    }
    RawManifest raw = RawManifest.of(bytes, declared);
    if (SCHEMA1.contains(raw.mediaType())) {
      throw schema1(ref);
    }
    if (!raw.isIndex() && !MediaTypes.isImageManifest(raw.mediaType())) {
      throw new ContentException(
          name + ": manifest " + ref + " has unsupported media type " + raw.mediaType(),
          "diffah reads Docker schema 2 and OCI manifests and indexes");
    }
    return raw;
  }

  private RawManifest verify(String ref, RawManifest raw, Optional<Digest> expected) {
    if (expected.isPresent() && !expected.get().equals(raw.digest())) {
      throw new ContentException(
          name + ": manifest " + ref + " has digest " + raw.digest() + ", not the " + expected.get() + " asked for",
          "the registry served different bytes than the digest names; the registry or a proxy is corrupting data");
    }
    return raw;
  }

  private ContentException schema1(String ref) {
    return new ContentException(
        name + ": manifest " + ref + " is Docker schema 1, which diffah does not read",
        "re-push the image with a current docker, podman or skopeo (schema 2 or OCI)");
  }
}
