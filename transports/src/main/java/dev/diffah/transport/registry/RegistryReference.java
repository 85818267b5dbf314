package dev.diffah.transport.registry;

import dev.diffah.error.ContentException;
import dev.diffah.error.UsageException;
import dev.diffah.model.Digest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code docker://} image name, normalised as docker does: a name without a registry lives on
 * Docker Hub ({@code docker.io}), a single-component Hub name lives under {@code library/}, and a
 * name without tag or digest means {@code :latest}.
 *
 * @param registry the registry as users name it, e.g. {@code docker.io} or {@code 127.0.0.1:5000}
 * @param repository the repository path, e.g. {@code library/alpine}
 * @param tag the tag, empty when the reference names a digest only
 * @param digest the manifest digest, when the reference pins one
 */
public record RegistryReference(String registry, String repository, Optional<String> tag, Optional<Digest> digest) {
  public static final String DOCKER_HUB = "docker.io";
  private static final String DOCKER_HUB_API = "registry-1.docker.io";
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](?::[0-9]{1,5})?");

  /** Parses what follows {@code docker:}, which must start with {@code //}. */
  public static RegistryReference parse(String text) {
    if (!text.startsWith("//")) {
      throw bad(text, "a docker reference starts with docker://");
    }
    String name = text.substring(2);
    Optional<Digest> digest = Optional.empty();
    int at = name.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(parseDigest(text, name.substring(at + 1)));
      name = name.substring(0, at);
    }
    Optional<String> tag = Optional.empty();
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = Optional.of(name.substring(colon + 1));
      name = name.substring(0, colon);
      if (!TAG.matcher(tag.get()).matches()) {
        throw bad(text, "'" + tag.get() + "' is not a valid tag");
      }
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = Optional.of("latest");
    }
    return split(text, name, tag, digest);
  }

  /** The host (and port) the registry API is served on; Docker Hub's API lives elsewhere. */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** The manifest reference the API takes: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest.map(Digest::toString).orElseGet(tag::orElseThrow);
  }

  /** {@code registry/repository:tag}, the name an image pulled from here is known by. */
  public Optional<String> imageName() {
    return tag.map(t -> registry + "/" + repository + ":" + t);
  }

  @Override
  public String toString() {
    return "docker://" + registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  private static RegistryReference split(String text, String name, Optional<String> tag, Optional<Digest> digest) {
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[");
    String registry = hasRegistry ? first : DOCKER_HUB;
    String repository = hasRegistry ? name.substring(slash + 1) : name;
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (!HOST.matcher(registry).matches()) {
      throw bad(text, "'" + registry + "' is not a valid registry host");
    }
    if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    for (String component : repository.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw bad(text, "'" + repository + "' is not a valid repository name (lowercase letters, digits, separators)");
      }
    }
    return new RegistryReference(registry, repository, tag, digest);
  }

  private static Digest parseDigest(String text, String digest) {
    try {
      return Digest.parse(digest);
    } catch (ContentException e) {
      throw bad(text, "'" + digest + "' is not a valid digest");
    }
  }

  private static UsageException bad(String text, String why) {
    return new UsageException(
        "invalid image reference 'docker:" + text + "': " + why,
        "use docker://HOST[:PORT]/REPO[:TAG|@DIGEST], e.g. docker://registry.example.com/app:v2");
  }
}
