package dev.diffah.transport.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.UsageException;
import dev.diffah.spi.ImageReference;
import dev.diffah.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing {@code oci:}, {@code oci-archive:} and {@code dir:} references through the registered transports. */
class LayoutReferenceTest {
  @Test
  void theTransportsAreRegistered() {
    assertThat(Transports.names()).contains("oci", "oci-archive", "dir");
    assertThat(Transports.byName("oci")).isInstanceOf(OciTransport.class);
    assertThat(Transports.byName("oci-archive")).isInstanceOf(OciArchiveTransport.class);
    assertThat(Transports.byName("dir").name()).isEqualTo("dir");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "oci:/tmp/layout",
        "oci:/tmp/layout:v1",
        "oci:relative/layout:diffah-fixture:v1",
        "oci-archive:/tmp/app.tar:docker.io/library/app:v2",
        "dir:/tmp/d",
        "dir:/tmp/with:colon"
      })
  void aReferencePrintsAsItWasTyped(String text) {
    ImageReference reference = Transports.parse(text);

    assertThat(reference.toString()).isEqualTo(text);
    assertThat(text).startsWith(reference.transport().name() + ":");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci:", "oci::v1", "oci-archive:", "oci-archive:/tmp/app.tar:", "dir:"})
  void anEmptyPathOrNameIsAUsageError(String text) {
    assertThatThrownBy(() -> Transports.parse(text)).isInstanceOf(UsageException.class).hasMessageContaining(text);
  }
}
