package dev.diffah.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.ContentException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  @Test
  void hashesBytesAndRoundTripsText() {
    Digest d = Digest.sha256("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(d.toString()).isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(Digest.parse(d.toString())).isEqualTo(d);
    assertThat(d.shortForm()).isEqualTo("sha256:2cf24dba5fb0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sha256:../../etc/passwd",
        "sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
        "sha256:2cf24dba",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824/x"
      })
  void rejectsAnythingThatIsNotACanonicalDigest(String text) {
    assertThatThrownBy(() -> Digest.parse(text)).isInstanceOf(ContentException.class).hasMessageContaining("invalid digest");
  }
}
