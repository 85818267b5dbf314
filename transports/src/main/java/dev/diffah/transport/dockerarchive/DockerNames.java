package dev.diffah.transport.dockerarchive;

import dev.diffah.error.UsageException;

/**
 * Docker-style image names as archives record them in RepoTags: {@code app:v1}, {@code
 * docker.io/library/app:v1} and {@code index.docker.io/library/app:v1} all name one image.
 */
final class DockerNames {
  private static final String DOCKER_HUB = "docker.io";

  private DockerNames() {}

  /** The fully qualified, tagged form: {@code app} becomes {@code docker.io/library/app:latest}. */
  static String normalize(String name) {
    String tagged = withTag(name);
    String domain = domainOf(tagged);
    String rest = domain == null ? tagged : tagged.substring(domain.length() + 1);
    if (domain == null || domain.equals("index.docker.io")) {
      domain = DOCKER_HUB;
    }
    if (domain.equals(DOCKER_HUB) && rest.indexOf('/') < 0) {
      rest = "library/" + rest;
    }
    return domain + "/" + rest;
  }

  /** True when the name starts with a registry host (which has a dot or port, or is localhost). */
  static boolean hasDomain(String name) {
    return domainOf(name) != null;
  }

  /**
   * The name with its tag, {@code latest} when it has none. Digests cannot name an image inside an
   * archive, so they are a usage error.
   */
  static String withTag(String name) {
    if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@')) {
      throw new UsageException(
          "'" + name + "' is not a NAME:TAG image name",
          "docker-archive names images by NAME:TAG (no digests), e.g. app:v1 or docker.io/library/app:v1");
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      if (colon == name.length() - 1 || colon == 0) {
        throw new UsageException("'" + name + "' has an empty name or tag", "write NAME:TAG, e.g. app:v1");
      }
      return name;
    }
    return name + ":latest";
  }

  /** The repository part of a tagged name: {@code app:v1} gives {@code app}. */
  static String repository(String taggedName) {
    return taggedName.substring(0, taggedName.lastIndexOf(':'));
  }

  /** The tag of a tagged name. */
  static String tag(String taggedName) {
    return taggedName.substring(taggedName.lastIndexOf(':') + 1);
  }

  private static String domainOf(String name) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String first = name.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return host ? first : null;
  }
}
