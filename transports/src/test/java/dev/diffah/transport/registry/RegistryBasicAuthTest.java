package dev.diffah.transport.registry;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.DiffahException;
import dev.diffah.error.ErrorKind;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.RegistryServer;
import dev.diffah.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A real registry behind htpasswd (bcrypt) Basic auth, reached with credentials from every source. */
class RegistryBasicAuthTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String USER = "diffah";
  private static final String PASSWORD = "s3cret-pass";
  private static final RegistryOptions BASE = RegistryOptions.defaults().withTlsVerify(false).withEnvironment(Map.of());

  @TempDir static Path storage;
  static RegistryServer registry;

  @TempDir Path dir;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryServer.startWithBasicAuth(storage, USER, PASSWORD);
    registry.push("oci-archive:" + fixture("v1_oci.tar"), "app:v1");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  private static String authJson(String key, String user, String password) {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return "{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth + "\"}}}";
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Each credential source, given a scratch dir, the user and the password. */
  static Stream<Arguments> sources() {
    Map<String, BiFunction<Path, String[], RegistryOptions>> sources =
        Map.of(
            "--creds", (d, up) -> BASE.withCredentials(new Credentials(up[0], up[1])),
            "--authfile", (d, up) -> BASE.withAuthFile(write(d.resolve("auth.json"), authJson(registry.host(), up[0], up[1]))),
            "REGISTRY_AUTH_FILE",
            (d, up) -> BASE.withEnvironment(Map.of("REGISTRY_AUTH_FILE", write(d.resolve("a.json"), authJson(registry.host(), up[0], up[1])).toString())),
            "XDG_RUNTIME_DIR",
            (d, up) -> {
              write(d.resolve("containers/auth.json"), authJson(registry.host() + "/app", up[0], up[1]));
              return BASE.withEnvironment(Map.of("XDG_RUNTIME_DIR", d.toString()));
            },
            "~/.docker/config.json",
            (d, up) -> {
              write(d.resolve(".docker/config.json"), authJson("http://" + registry.host() + "/", up[0], up[1]));
              return BASE.withEnvironment(Map.of("HOME", d.toString()));
            });
    return sources.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private RawManifest manifest(RegistryOptions options) {
    try (ImageSource source = Transports.parse(registry.ref("app:v1"), options).openSource().block(TIMEOUT)) {
      return source.manifest().block(TIMEOUT);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void rightCredentialsFromEachSourceWork(String source, BiFunction<Path, String[], RegistryOptions> options) {
    RawManifest manifest = manifest(options.apply(dir, new String[] {USER, PASSWORD}));
    assertThat(manifest.digest().toString()).startsWith("sha256:e1e79e68");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void wrongCredentialsFromEachSourceFailWithAnAuthError(String source, BiFunction<Path, String[], RegistryOptions> options) {
    assertThatThrownBy(() -> manifest(options.apply(dir, new String[] {USER, "wrong"})))
        .isInstanceOf(RegistryAuthException.class)
        .hasMessageContaining("denied access to app")
        .hasMessageContaining(registry.host())
        .satisfies(e -> assertThat(((DiffahException) e).kind()).isEqualTo(ErrorKind.ENVIRONMENT));
  }

  @Test
  void wrongCredentialsAreNotRetried() {
    String before = registry.log();
    assertThatThrownBy(() -> manifest(BASE.withCredentials(new Credentials(USER, "wrong")).withRetryTimes(5)))
        .isInstanceOf(RegistryAuthException.class);
    String during = registry.log().substring(before.length());
    assertThat(during.split("GET /v2/app/manifests/v1", -1)).as(during).hasSize(2); // exactly one request
  }

  @Test
  void noCredentialsNamesTheRegistryAndSaysWhatToPass() {
    assertThatThrownBy(() -> manifest(BASE.withNoCredentials(true)))
        .isInstanceOf(RegistryAuthException.class)
        .satisfies(e -> assertThat(((DiffahException) e).hint()).contains("no credentials found for " + registry.host()).contains("--creds"));
  }
}
