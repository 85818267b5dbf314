package dev.diffah.transport.registry;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.DiffahException;
import dev.diffah.error.EnvironmentException;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.RegistryServer;
import dev.diffah.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real registry on HTTPS with a self-signed certificate. */
class RegistryTlsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final RegistryOptions VERIFY = RegistryOptions.defaults().withEnvironment(Map.of()).withRetryTimes(0);

  @TempDir static Path storage;
  static RegistryServer registry;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryServer.startWithTls(storage);
    registry.push("oci-archive:" + fixture("v1_oci.tar"), "app:v1");
  }

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  private static RawManifest manifest(RegistryOptions options) {
    try (ImageSource source = Transports.parse(registry.ref("app:v1"), options).openSource().block(TIMEOUT)) {
      return source.manifest().block(TIMEOUT);
    }
  }

  @Test
  void anUnknownCertificateIsRefusedWithAHint() {
    assertThatThrownBy(() -> manifest(VERIFY))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("TLS")
        .satisfies(e -> assertThat(((DiffahException) e).hint()).contains("--cert-dir").contains("--tls-verify=false"));
  }

  @Test
  void certDirMakesItTrusted() {
    assertThat(manifest(VERIFY.withCertDir(storage.resolve("certs"))).digest().toString()).startsWith("sha256:e1e79e68");
  }

  @Test
  void tlsVerifyFalseAcceptsIt() {
    assertThat(manifest(VERIFY.withTlsVerify(false)).digest().toString()).startsWith("sha256:e1e79e68");
  }
}
