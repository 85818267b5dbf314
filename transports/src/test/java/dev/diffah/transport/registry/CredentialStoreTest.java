package dev.diffah.transport.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  private static final RegistryReference ALPINE = RegistryReference.parse("//alpine");
  private static final RegistryReference PRIVATE = RegistryReference.parse("//registry.example.com:5000/team/app:v1");

  @TempDir Path home;

  private RegistryOptions withHome() {
    return RegistryOptions.defaults().withEnvironment(Map.of("HOME", home.toString()));
  }

  private void dockerConfig(String json) throws Exception {
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), json);
  }

  @Test
  void dockerHubLegacyKeyAndUsernamePasswordFields() throws Exception {
    dockerConfig("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"aHViOnB3\"},"
        + "\"registry.example.com:5000\":{\"username\":\"u\",\"password\":\"p\"}},\"credsStore\":\"desktop\"}");
    assertThat(CredentialStore.lookup(withHome(), ALPINE)).contains(new Credentials("hub", "pw"));
    assertThat(CredentialStore.lookup(withHome(), PRIVATE)).contains(new Credentials("u", "p"));
  }

  @Test
  void mostSpecificNamespaceWins() throws Exception {
    dockerConfig("{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"aG9zdDpw\"},"
        + "\"registry.example.com:5000/team\":{\"auth\":\"dGVhbTpw\"}}}");
    assertThat(CredentialStore.lookup(withHome(), PRIVATE)).contains(new Credentials("team", "p"));
  }

  @Test
  void explicitCredentialsWinAndNoCredsWinsOverEverything() throws Exception {
    dockerConfig("{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"aG9zdDpw\"}}}");
    assertThat(CredentialStore.lookup(withHome().withCredentials(Credentials.parse("me:x")), PRIVATE))
        .contains(new Credentials("me", "x"));
    assertThat(CredentialStore.lookup(withHome().withNoCredentials(true), PRIVATE)).isEmpty();
  }

  @Test
  void nothingFoundMeansAnonymous() {
    assertThat(CredentialStore.lookup(withHome(), PRIVATE)).isEmpty();
  }

  @Test
  void aMissingOrBrokenAuthFileIsAUsageError() throws Exception {
    assertThatThrownBy(() -> CredentialStore.lookup(withHome().withAuthFile(home.resolve("nope.json")), PRIVATE))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("nope.json");
    Path broken = Files.writeString(home.resolve("broken.json"), "{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"!!\"}}}");
    assertThatThrownBy(() -> CredentialStore.lookup(withHome().withAuthFile(broken), PRIVATE))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("broken.json")
        .hasMessageContaining("registry.example.com:5000");
  }

  @Test
  void credsFlagParsing() {
    assertThatThrownBy(() -> Credentials.parse("user")).isInstanceOf(UsageException.class).hasMessageContaining("without a password");
    assertThat(Credentials.parse("user:")).isEqualTo(new Credentials("user", ""));
    assertThat(Credentials.parse("user:pa:ss")).isEqualTo(new Credentials("user", "pa:ss"));
    assertThat(Credentials.parse("user:pw").toString()).doesNotContain("pw");
    assertThatThrownBy(() -> Credentials.parse(":pw")).isInstanceOf(UsageException.class);
  }
}
