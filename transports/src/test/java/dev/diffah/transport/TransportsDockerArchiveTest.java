package dev.diffah.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.UsageException;
import dev.diffah.spi.ImageReference;
import dev.diffah.transport.dockerarchive.DockerArchiveReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TransportsDockerArchiveTest {
  @Test
  void parsesDockerArchiveReferencesThroughTheRegistry() {
    ImageReference plain = Transports.parse("docker-archive:./out/app.tar");
    ImageReference named = Transports.parse("docker-archive:/tmp/app.tar:localhost:5000/team/app:v1");
    ImageReference indexed = Transports.parse("docker-archive:app.tar:@2");

    assertThat(plain).isInstanceOf(DockerArchiveReference.class).hasToString("docker-archive:./out/app.tar");
    assertThat(((DockerArchiveReference) plain).path()).isEqualTo(Path.of("./out/app.tar"));
    assertThat(named).hasToString("docker-archive:/tmp/app.tar:localhost:5000/team/app:v1");
    assertThat(((DockerArchiveReference) named).path()).isEqualTo(Path.of("/tmp/app.tar"));
    assertThat(indexed).hasToString("docker-archive:app.tar:@2");
    assertThat(Transports.parse("docker-archive:app.tar:app")).hasToString("docker-archive:app.tar:app:latest");
    assertThat(indexed.transport()).isSameAs(Transports.byName("docker-archive"));
  }

  @Test
  void malformedDockerArchiveReferencesAreUsageErrors() {
    assertThatThrownBy(() -> Transports.parse("docker-archive:")).isInstanceOf(UsageException.class).hasMessageContaining("has no path");
    assertThatThrownBy(() -> Transports.parse("docker-archive:a.tar:")).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> Transports.parse("docker-archive:a.tar:@one"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("invalid image index");
    assertThatThrownBy(() -> Transports.parse("docker-archive:a.tar:app@sha256:" + "a".repeat(64)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("NAME:TAG");
  }
}
