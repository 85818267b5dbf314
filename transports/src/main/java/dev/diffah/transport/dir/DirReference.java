package dev.diffah.transport.dir;

import dev.diffah.error.UsageException;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.spi.Transport;
import dev.diffah.transport.oci.DirectoryFiles;
import dev.diffah.transport.oci.DirectorySink;
import dev.diffah.transport.oci.LayoutSink;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code dir:PATH}: an image stored as a directory of files. */
final class DirReference implements ImageReference {
  private final Transport transport;
  private final String pathText;
  private final Path path;

  private DirReference(Transport transport, String pathText, Path path) {
    this.transport = transport;
    this.pathText = pathText;
    this.path = path;
  }

  /** The whole text is the path: a {@code dir:} reference carries no image name. */
  static DirReference parse(Transport transport, String text) {
    if (text.isEmpty()) {
      throw new UsageException("'dir:' has no path", "use dir:PATH");
    }
    try {
      return new DirReference(transport, text, Path.of(text));
    } catch (InvalidPathException e) {
      throw new UsageException("'dir:" + text + "' is not a valid path: " + e.getReason(), "check the path");
    }
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public Mono<ImageSource> openSource() {
    return Mono.fromCallable(() -> DirectoryFiles.open(path))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(files -> DirSource.open(this, files));
  }

  @Override
  public Mono<ImageDestination> openDestination(DestinationOptions options) {
    return DirDestination.open(
        this,
        Mono.<LayoutSink>fromCallable(() -> DirectorySink.begin(path, options.replaceExisting()))
            .subscribeOn(Schedulers.boundedElastic()));
  }

  @Override
  public Optional<Path> localPath() {
    return Optional.of(path);
  }

  @Override
  public String toString() {
    return transport.name() + ":" + pathText;
  }
}
