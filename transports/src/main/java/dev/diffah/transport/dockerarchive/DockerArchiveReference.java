package dev.diffah.transport.dockerarchive;

import dev.diffah.error.UsageException;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.spi.Transport;
import java.nio.file.Path;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** A docker-archive file and, optionally, which of its images is meant. */
public final class DockerArchiveReference implements ImageReference {
  private final DockerArchiveTransport transport;
  private final String pathText;
  private final Path path;
  private final Optional<ImageSelector> selector;

  DockerArchiveReference(
      DockerArchiveTransport transport, String pathText, Path path, Optional<ImageSelector> selector) {
    this.transport = transport;
    this.pathText = pathText;
    this.path = path;
    this.selector = selector;
  }

  @Override
  public Transport transport() {
    return transport;
  }

  public Path path() {
    return path;
  }

  Optional<ImageSelector> selector() {
    return selector;
  }

  @Override
  public Mono<ImageSource> openSource() {
    return DockerArchiveSource.open(this);
  }

  @Override
  public Mono<ImageDestination> openDestination(DestinationOptions options) {
    return DockerArchiveDestination.open(this, options);
  }

  /**
   * The RepoTag to write: the reference's own NAME:TAG when it has one (the user named this output),
   * else the one the options carry. Written fully qualified, as skopeo does, because podman reads a
   * short name as {@code localhost/NAME} where docker reads {@code docker.io/library/NAME}.
   */
  Optional<String> nameToWrite(DestinationOptions options) {
    if (selector.isEmpty()) {
      return options.imageName().map(DockerNames::normalize);
    }
    if (selector.get() instanceof ImageSelector.ByName byName) {
      return Optional.of(DockerNames.normalize(byName.name()));
    }
    throw new UsageException(
        "'" + this + "': @INDEX selects an image to read and cannot name one to write",
        "write docker-archive:PATH or docker-archive:PATH:NAME:TAG as the output");
  }

  @Override
  public Optional<Path> localPath() {
    return Optional.of(path);
  }

  @Override
  public String toString() {
    return DockerArchiveTransport.NAME + ":" + pathText + selector.map(s -> ":" + s.text()).orElse("");
  }
}
