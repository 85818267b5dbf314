package dev.diffah.transport.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.diffah.error.IoErrors;
import dev.diffah.error.UsageException;
import dev.diffah.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for a registry the way skopeo and docker do: {@code --creds}, else
 * {@code --authfile}, else {@code $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json}
 * and {@code ~/.docker/config.json}, first match wins. Only {@code auths} entries are read
 * (credential helpers are not run).
 */
final class CredentialStore {
  private static final List<String> DOCKER_HUB_KEYS =
      List.of("docker.io", "index.docker.io", "registry-1.docker.io", "index.docker.io/v1");

  private CredentialStore() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record AuthFile(@JsonProperty("auths") Map<String, Entry> auths) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Entry(
      @JsonProperty("auth") String auth,
      @JsonProperty("username") String username,
      @JsonProperty("password") String password) {}

  /** The credentials {@code options} give for {@code reference}'s registry and repository. */
  static Optional<Credentials> lookup(RegistryOptions options, RegistryReference reference) {
    if (options.noCredentials()) {
      return Optional.empty();
    }
    if (options.credentials().isPresent()) {
      return options.credentials();
    }
    for (Path file : files(options)) {
      Optional<Credentials> found = find(file, reference);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The auth files to search, in order; an explicit one must exist. */
  private static List<Path> files(RegistryOptions options) {
    if (options.authFile().isPresent()) {
      Path file = options.authFile().get();
      if (!Files.isRegularFile(file)) {
        throw new UsageException("auth file " + file + " does not exist", "check --authfile");
      }
      return List.of(file);
    }
    Map<String, String> env = options.environment();
    List<Path> files = new ArrayList<>();
    Optional.ofNullable(env.get("REGISTRY_AUTH_FILE")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(files::add);
    Optional.ofNullable(env.get("XDG_RUNTIME_DIR"))
        .filter(s -> !s.isBlank())
        .map(dir -> Path.of(dir, "containers", "auth.json"))
        .ifPresent(files::add);
    Optional.ofNullable(env.get("HOME"))
        .filter(s -> !s.isBlank())
        .map(home -> Path.of(home, ".docker", "config.json"))
        .ifPresent(files::add);
    return files.stream().filter(Files::isRegularFile).toList();
  }

  private static Optional<Credentials> find(Path file, RegistryReference reference) {
    Map<String, Entry> auths = read(file).auths();
    if (auths == null) {
      return Optional.empty();
    }
    for (String key : candidateKeys(reference)) {
      for (Map.Entry<String, Entry> e : auths.entrySet()) {
        if (normalise(e.getKey()).equals(key)) {
          return Optional.of(decode(file, e.getKey(), e.getValue()));
        }
      }
    }
    return Optional.empty();
  }

  /** {@code host/a/b}, {@code host/a}, {@code host}: the most specific entry wins (containers auth.json). */
  private static List<String> candidateKeys(RegistryReference reference) {
    List<String> hosts = reference.registry().equals(RegistryReference.DOCKER_HUB) ? DOCKER_HUB_KEYS : List.of(reference.registry());
    List<String> keys = new ArrayList<>();
    String[] parts = reference.repository().split("/");
    for (int n = parts.length; n >= 1; n--) {
      String namespace = String.join("/", List.of(parts).subList(0, n));
      keys.add(reference.registry() + "/" + namespace);
    }
    keys.addAll(hosts);
    return keys;
  }

  /** Drops a URL scheme and a trailing slash, as docker's legacy keys carry them. */
  private static String normalise(String key) {
    String k = key.toLowerCase(Locale.ROOT).replaceFirst("^https?://", "");
    return k.endsWith("/") ? k.substring(0, k.length() - 1) : k;
  }

  private static Credentials decode(Path file, String key, Entry entry) {
    if (entry.auth() != null && !entry.auth().isEmpty()) {
      try {
        String plain = new String(Base64.getDecoder().decode(entry.auth().trim()), StandardCharsets.UTF_8);
        return Credentials.parse(plain);
      } catch (IllegalArgumentException | UsageException e) {
        throw badFile(file, "entry '" + key + "' has an auth value that is not base64 of USER:PASS");
      }
    }
    if (entry.username() != null && !entry.username().isEmpty()) {
      return new Credentials(entry.username(), entry.password() == null ? "" : entry.password());
    }
    throw badFile(file, "entry '" + key + "' holds no credentials (credential helpers are not supported)");
  }

  private static AuthFile read(Path file) {
    try {
      if (Files.size(file) > Json.MAX_DOCUMENT_BYTES) {
        throw badFile(file, "it is too large");
      }
      return Json.MAPPER.readValue(Files.readAllBytes(file), AuthFile.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw badFile(file, "it is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw IoErrors.wrap("reading auth file " + file, e);
    }
  }

  private static UsageException badFile(Path file, String why) {
    return new UsageException("cannot use auth file " + file + ": " + why, "fix the file, or pass --creds USER:PASS");
  }
}
