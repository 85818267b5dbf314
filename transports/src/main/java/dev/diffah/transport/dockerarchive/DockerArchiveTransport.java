package dev.diffah.transport.dockerarchive;

import dev.diffah.error.UsageException;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.Transport;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code docker-archive:PATH[:NAME:TAG|:@INDEX]}: a tar as written by {@code docker save}, {@code
 * podman save} or skopeo.
 */
public final class DockerArchiveTransport implements Transport {
  public static final String NAME = "docker-archive";

  @Override
  public String name() {
    return NAME;
  }

  /** A docker-archive has no place for a registry manifest: diffah synthesises one on read. */
  @Override
  public boolean keepsManifestVerbatim() {
    return false;
  }

  /** Splits at the first colon: the path, then an optional image selector. */
  @Override
  public ImageReference parse(String reference) {
    String full = NAME + ":" + reference;
    int colon = reference.indexOf(':');
    String pathText = colon < 0 ? reference : reference.substring(0, colon);
    if (pathText.isEmpty()) {
      throw new UsageException(
          "'" + full + "' has no path", "write docker-archive:PATH[:NAME:TAG|:@INDEX], e.g. docker-archive:./app.tar");
    }
    Optional<ImageSelector> selector =
        colon < 0 ? Optional.empty() : Optional.of(ImageSelector.parse(reference.substring(colon + 1), full));
    return new DockerArchiveReference(this, pathText, toPath(pathText, full), selector);
  }

  private static Path toPath(String pathText, String full) {
    try {
      return Path.of(pathText);
    } catch (InvalidPathException e) {
      throw new UsageException("'" + full + "' has an invalid path: " + e.getReason(), "check the path");
    }
  }
}
