package dev.diffah.transport.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.diffah.Diffah;
import dev.diffah.error.ContentException;
import dev.diffah.error.DiffahException;
import dev.diffah.error.EnvironmentException;
import dev.diffah.error.ErrorKind;
import dev.diffah.error.UsageException;
import dev.diffah.export.ExportRequest;
import dev.diffah.export.ExportResult;
import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a real registry will not do on demand, played by WireMock. */
class RegistryFaultTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final RegistryOptions OPTIONS = RegistryOptions.defaults().withTlsVerify(false).withEnvironment(Map.of());

  @RegisterExtension
  static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static WireMockExtension storage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static FakeImage v1;
  static FakeImage v2;

  @TempDir Path dir;
  FakeRegistry registry;

  @BeforeAll
  static void loadImages() {
    v1 = FakeImage.load("v1_oci.tar");
    v2 = FakeImage.load("v2_oci.tar");
  }

  @BeforeEach
  void serve() {
    registry = new FakeRegistry(wm, "a/b").serve("v1", v1).serve("v2", v2);
  }

  private ImageReference ref(String tag, RegistryOptions options) {
    return ((DockerReference) Transports.parse(registry.ref(tag), options)).withBackoff(Duration.ofMillis(10));
  }

  private ExportResult export(RegistryOptions options) {
    return Diffah.create().export(ExportRequest.of(ref("v2", options), ref("v1", options), dir.resolve("delta.tar"))).block(TIMEOUT);
  }

  private static Descriptor shippedLayer() {
    return v2.layers().stream().filter(d -> !v1.blobs().containsKey(d.digest())).findFirst().orElseThrow();
  }

  private int count(RequestPatternBuilder pattern) {
    return wm.findAll(pattern).size();
  }

  @Test
  void eachNeededBlobIsFetchedOnceAndBaselineLayersAreOnlyProbed() {
    ExportResult result = export(OPTIONS);

    assertThat(result.plan().shipped()).hasSize(1);
    for (Digest digest : v2.blobs().keySet()) {
      boolean needed = digest.equals(v2.config().digest()) || digest.equals(shippedLayer().digest());
      assertThat(count(getRequestedFor(urlEqualTo(registry.blobPath(digest))))).as("GETs of " + digest).isEqualTo(needed ? 1 : 0);
    }
    assertThat(count(headRequestedFor(urlEqualTo(registry.blobPath(v1.layers().get(0).digest()))))).isEqualTo(1);
  }

  @Test
  void retriesTooManyRequestsAndUnavailableHonouringRetryAfter() {
    String manifest = registry.manifestPath("v2");
    wm.stubFor(get(urlEqualTo(manifest)).inScenario("429").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
    wm.stubFor(get(urlEqualTo(manifest)).inScenario("429").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", v2.manifest().mediaType()).withBody(v2.manifest().bytes())));
    Descriptor layer = shippedLayer();
    wm.stubFor(registry.blobGet(layer.digest()).inScenario("503").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")).willSetStateTo("ok"));
    wm.stubFor(registry.blobGet(layer.digest()).inScenario("503").whenScenarioStateIs("ok")
        .willReturn(aResponse().withStatus(200).withBody(v2.blobs().get(layer.digest()))));

    long start = System.nanoTime();
    ExportResult result = export(OPTIONS);

    assertThat(result.sidecar().target().manifestDigest()).isEqualTo(v2.manifest().digest());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(count(getRequestedFor(urlEqualTo(manifest)))).isEqualTo(2);
    assertThat(count(getRequestedFor(urlEqualTo(registry.blobPath(layer.digest()))))).isEqualTo(2);
  }

  @Test
  void persistentServerErrorsGiveUpAfterTheRetryBudget() {
    wm.stubFor(get(urlEqualTo(registry.manifestPath("v2"))).willReturn(aResponse().withStatus(502)));

    assertThatThrownBy(() -> export(OPTIONS.withRetryTimes(2)))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("502")
        .hasMessageContaining("2 retries");
    assertThat(count(getRequestedFor(urlEqualTo(registry.manifestPath("v2"))))).isEqualTo(3);
  }

  @Test
  void bearerChallengeWithQuotedScopeGetsAnAccessTokenAndRenewsItWhenItExpires() throws Exception {
    String realm = "http://" + registry.host() + "/token";
    registry.requireAuthorization("Bearer tok", "Bearer realm=\"" + realm + "\",service=\"fake\",scope=\"repository:a/b:pull,push\"");
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"access_token\":\"tok\",\"expires_in\":1}")));

    VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    try (ImageSource source = ref("v2", OPTIONS.withTimer(clock)).openSource().block(TIMEOUT)) {
      RawManifest manifest = source.manifest().block(TIMEOUT);
      assertThat(manifest.digest()).isEqualTo(v2.manifest().digest());
      clock.advanceTimeBy(Duration.ofSeconds(2)); // past expires_in: 1
      assertThat(read(source, v2.config())).isEqualTo(v2.blobs().get(v2.config().digest()));
    }

    var tokenRequests = wm.findAll(getRequestedFor(urlPathEqualTo("/token")));
    assertThat(tokenRequests).hasSize(2);
    assertThat(tokenRequests.get(0).queryParameter("scope").values())
        .containsExactly("repository:a/b:pull,push", "repository:a/b:pull");
    assertThat(tokenRequests.get(0).queryParameter("service").firstValue()).isEqualTo("fake");
    assertThat(tokenRequests.get(0).containsHeader("Authorization")).isFalse();
  }

  @Test
  void blobRedirectedToAnotherHostIsFetchedWithoutTheAuthorizationHeader() {
    useBasicAuth();
    Descriptor layer = shippedLayer();
    String location = "http://127.0.0.1:" + storage.getPort() + "/store/" + layer.digest().hex();
    wm.stubFor(registry.blobGet(layer.digest()).atPriority(1)
        .willReturn(aResponse().withStatus(307).withHeader("Location", location)));
    storage.stubFor(get(urlEqualTo("/store/" + layer.digest().hex())).atPriority(1).withHeader("Authorization", matching(".*"))
        .willReturn(aResponse().withStatus(400).withBody("<Error>only one auth mechanism allowed</Error>")));
    storage.stubFor(get(urlEqualTo("/store/" + layer.digest().hex())).atPriority(2)
        .willReturn(aResponse().withStatus(200).withBody(v2.blobs().get(layer.digest()))));

    ExportResult result = export(OPTIONS.withCredentials(new Credentials("user", "secret")));

    assertThat(result.plan().shippedLayers()).containsExactly(layer);
    assertThat(storage.findAll(getRequestedFor(urlEqualTo("/store/" + layer.digest().hex())).withHeader("Authorization", absent())))
        .hasSize(1);
    assertThat(storage.findAll(getRequestedFor(urlEqualTo("/store/" + layer.digest().hex())).withHeader("Authorization", matching(".*"))))
        .isEmpty();
  }

  @Test
  void wrongCredentialsFailAtOnceWithAnAuthErrorAndNoRetryStorm() {
    useBasicAuth();

    assertThatThrownBy(() -> export(OPTIONS.withCredentials(new Credentials("user", "wrong"))))
        .isInstanceOf(RegistryAuthException.class)
        .satisfies(e -> assertThat(((DiffahException) e).kind()).isEqualTo(ErrorKind.ENVIRONMENT))
        .hasMessageContaining("denied access to a/b")
        .satisfies(e -> assertThat(((DiffahException) e).hint()).contains("--creds"));
    assertThat(count(getRequestedFor(urlEqualTo(registry.manifestPath("v2"))))).isEqualTo(1);
  }

  @Test
  void droppedBlobDownloadResumesWithRangeWhenTheServerAnswers206() {
    Descriptor layer = shippedLayer();
    byte[] bytes = v2.blobs().get(layer.digest());
    int cut = bytes.length / 2;
    cutOffAt(layer, cut);
    wm.stubFor(registry.blobGet(layer.digest()).atPriority(1).withHeader("Range", equalTo("bytes=" + cut + "-"))
        .willReturn(aResponse().withStatus(206)
            .withHeader("Content-Range", "bytes " + cut + "-" + (bytes.length - 1) + "/" + bytes.length)
            .withBody(Arrays.copyOfRange(bytes, cut, bytes.length))));

    ExportResult result = export(OPTIONS);

    assertThat(result.plan().shippedLayers()).containsExactly(layer);
    assertThat(count(getRequestedFor(urlEqualTo(registry.blobPath(layer.digest()))).withHeader("Range", equalTo("bytes=" + cut + "-"))))
        .isEqualTo(1);
  }

  @Test
  void droppedBlobDownloadRestartsWhenTheServerIgnoresRange() {
    Descriptor layer = shippedLayer();
    cutOffAt(layer, v2.blobs().get(layer.digest()).length / 3);

    ExportResult result = export(OPTIONS);

    assertThat(result.plan().shippedLayers()).containsExactly(layer);
    assertThat(count(getRequestedFor(urlEqualTo(registry.blobPath(layer.digest()))))).isEqualTo(2);
  }

  @Test
  void manifestDigestComesFromTheBytesWhateverDockerContentDigestSays() {
    registry.manifest("v2", v2, null);
    registry.manifest("v1", v1, "sha256:" + "0".repeat(64));

    ExportResult result = export(OPTIONS);

    assertThat(result.sidecar().target().manifestDigest()).isEqualTo(v2.manifest().digest());
    assertThat(result.sidecar().baseline().manifestDigest()).isEqualTo(v1.manifest().digest());
  }

  @Test
  void byDigestPullRejectsDifferentBytes() {
    registry.manifest(v2.manifest().digest().toString(), v1, v2.manifest().digest().toString());
    ImageReference pinned =
        Transports.parse("docker://" + registry.host() + "/a/b@" + v2.manifest().digest(), OPTIONS);

    try (ImageSource source = pinned.openSource().block(TIMEOUT)) {
      assertThatThrownBy(() -> source.manifest().block(TIMEOUT))
          .isInstanceOf(ContentException.class)
          .hasMessageContaining("not the " + v2.manifest().digest());
    }
  }

  @Test
  void blobWhoseBytesDoNotMatchItsDigestFailsAsContentAndWritesNothing() {
    Descriptor layer = shippedLayer();
    byte[] corrupt = v2.blobs().get(layer.digest()).clone();
    corrupt[corrupt.length / 2] ^= 1;
    wm.stubFor(registry.blobGet(layer.digest()).willReturn(aResponse().withStatus(200).withBody(corrupt)));

    assertThatThrownBy(() -> export(OPTIONS))
        .isInstanceOf(ContentException.class)
        .satisfies(e -> assertThat(((DiffahException) e).kind().exitCode()).isEqualTo(4))
        .hasMessageContaining(layer.digest().toString());
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void missingTagIsAUsageErrorNamingTheReference() {
    assertThatThrownBy(() -> ref("nope", OPTIONS).openSource().flatMap(ImageSource::manifest).block(TIMEOUT))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("a/b:nope")
        .hasMessageContaining("404");
  }

  private void useBasicAuth() {
    registry.requireAuthorization(basic(), "Basic realm=\"fake\"");
  }

  private static String basic() {
    return new Credentials("user", "secret").basicHeader();
  }

  /** The first GET of {@code layer} sends {@code cut} bytes of a longer declared body, then closes. */
  private void cutOffAt(Descriptor layer, int cut) {
    byte[] bytes = v2.blobs().get(layer.digest());
    wm.stubFor(registry.blobGet(layer.digest()).atPriority(2).inScenario("cut").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Length", String.valueOf(bytes.length))
            .withBody(Arrays.copyOf(bytes, cut)))
        .willSetStateTo("resumed"));
  }

  private static byte[] read(ImageSource source, Descriptor d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    source.blob(d).doOnNext(b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining())).blockLast(TIMEOUT);
    return out.toByteArray();
  }
}
