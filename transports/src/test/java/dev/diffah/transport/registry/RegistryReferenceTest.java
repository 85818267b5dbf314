package dev.diffah.transport.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.UsageException;
import dev.diffah.transport.Transports;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** docker:// names are normalised as docker does; nothing is contacted. */
class RegistryReferenceTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @ParameterizedTest
  @CsvSource({
    "//alpine, docker.io, library/alpine, latest, registry-1.docker.io",
    "//alpine:3.19, docker.io, library/alpine, 3.19, registry-1.docker.io",
    "//user/app, docker.io, user/app, latest, registry-1.docker.io",
    "//docker.io/alpine, docker.io, library/alpine, latest, registry-1.docker.io",
    "//index.docker.io/library/alpine:edge, docker.io, library/alpine, edge, registry-1.docker.io",
    "//localhost/app, localhost, app, latest, localhost",
    "//127.0.0.1:5000/team/app:v2, 127.0.0.1:5000, team/app, v2, 127.0.0.1:5000",
    "//registry.example.com/a/b/c:1.0-rc_1, registry.example.com, a/b/c, 1.0-rc_1, registry.example.com",
    "//[::1]:5000/app:v1, [::1]:5000, app, v1, [::1]:5000",
  })
  void normalisesLikeDocker(String text, String registry, String repository, String tag, String apiHost) {
    RegistryReference ref = RegistryReference.parse(text);
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).contains(tag);
    assertThat(ref.apiHost()).isEqualTo(apiHost);
    assertThat(ref.manifestReference()).isEqualTo(tag);
  }

  @Test
  void aDigestPinsTheManifestAndNeedsNoTag() {
    RegistryReference ref = RegistryReference.parse("//registry.example.com/app@" + DIGEST);
    assertThat(ref.tag()).isEmpty();
    assertThat(ref.digest().map(Object::toString)).contains(DIGEST);
    assertThat(ref.manifestReference()).isEqualTo(DIGEST);
    assertThat(ref.imageName()).isEmpty();
    assertThat(ref).hasToString("docker://registry.example.com/app@" + DIGEST);
  }

  @Test
  void tagAndDigestTogetherFetchByDigestAndKeepTheName() {
    RegistryReference ref = RegistryReference.parse("//alpine:3.19@" + DIGEST);
    assertThat(ref.manifestReference()).isEqualTo(DIGEST);
    assertThat(ref.imageName()).contains("docker.io/library/alpine:3.19");
  }

  @Test
  void parsedThroughTransportsWithItsFullText() {
    assertThat(Transports.parse("docker://alpine")).hasToString("docker://docker.io/library/alpine:latest");
    assertThat(Transports.parse("docker://127.0.0.1:5000/app:v1").transport().name()).isEqualTo("docker");
  }

  @ParameterizedTest
  @ValueSource(strings = {"alpine", "//", "//Upper/app", "//host:5000/app:bad tag", "//app@sha256:short", "//host/a//b", "//host/app:-x"})
  void malformedReferencesAreUsageErrors(String text) {
    assertThatThrownBy(() -> RegistryReference.parse(text))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("docker:" + text)
        .satisfies(e -> assertThat(((UsageException) e).hint()).contains("docker://HOST"));
  }

  @Test
  void aRegistryIsNotAnOutputYet() {
    assertThatThrownBy(() -> Transports.parse("docker://host/app:v1").openDestination(new dev.diffah.spi.DestinationOptions(Optional.empty(), false)).block())
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("not supported");
  }
}
