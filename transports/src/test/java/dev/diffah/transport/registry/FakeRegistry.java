package dev.diffah.transport.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.diffah.model.Digest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Serves images from WireMock the way a registry does (plain HTTP, no auth unless stubbed). */
final class FakeRegistry {
  private final WireMockExtension wm;
  private final String repository;
  private final Map<String, FakeImage> served = new LinkedHashMap<>();
  private String authorization;

  FakeRegistry(WireMockExtension wm, String repository) {
    this.wm = wm;
    this.repository = repository;
    wm.stubFor(get(urlEqualTo("/v2/")).willReturn(aResponse().withStatus(200)));
  }

  String host() {
    return "127.0.0.1:" + wm.getPort();
  }

  String ref(String tag) {
    return "docker://" + host() + "/" + repository + ":" + tag;
  }

  String manifestPath(String reference) {
    return "/v2/" + repository + "/manifests/" + reference;
  }

  String blobPath(Digest digest) {
    return "/v2/" + repository + "/blobs/" + digest;
  }

  /** Serves the image under {@code tag} and its digest, with a correct Docker-Content-Digest. */
  FakeRegistry serve(String tag, FakeImage image) {
    served.put(tag, image);
    manifest(tag, image, image.manifest().digest().toString());
    manifest(image.manifest().digest().toString(), image, image.manifest().digest().toString());
    blobs(image);
    return this;
  }

  /** Serves the manifest at {@code reference} with the given Docker-Content-Digest (null: none). */
  void manifest(String reference, FakeImage image, String contentDigest) {
    var response =
        aResponse().withStatus(200).withHeader("Content-Type", image.manifest().mediaType()).withBody(image.manifest().bytes());
    if (contentDigest != null) {
      response = response.withHeader("Docker-Content-Digest", contentDigest);
    }
    wm.stubFor(authorised(get(urlEqualTo(manifestPath(reference)))).willReturn(response));
  }

  void blobs(FakeImage image) {
    for (Map.Entry<Digest, byte[]> e : image.blobs().entrySet()) {
      wm.stubFor(blobGet(e.getKey()).willReturn(aResponse().withStatus(200).withBody(e.getValue())));
      wm.stubFor(
          authorised(head(urlEqualTo(blobPath(e.getKey()))))
              .willReturn(aResponse().withStatus(200).withHeader("Content-Length", String.valueOf(e.getValue().length))));
    }
  }

  MappingBuilder blobGet(Digest digest) {
    return authorised(get(urlEqualTo(blobPath(digest))));
  }

  /**
   * From now on the registry serves only requests carrying {@code Authorization: value}; anything
   * else, and {@code GET /v2/}, gets 401 with {@code challenge}. Images already served are re-stubbed.
   */
  void requireAuthorization(String value, String challenge) {
    authorization = value;
    wm.resetAll();
    var unauthorized = aResponse().withStatus(401).withHeader("WWW-Authenticate", challenge);
    wm.stubFor(get(urlEqualTo("/v2/")).willReturn(unauthorized));
    wm.stubFor(any(urlMatching("/v2/.+")).atPriority(10).willReturn(unauthorized));
    new LinkedHashMap<>(served).forEach(this::serve);
  }

  private MappingBuilder authorised(MappingBuilder stub) {
    return authorization == null ? stub : stub.withHeader("Authorization", equalTo(authorization));
  }
}
