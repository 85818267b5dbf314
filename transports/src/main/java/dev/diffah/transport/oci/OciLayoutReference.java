package dev.diffah.transport.oci;

import dev.diffah.error.UsageException;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.spi.Transport;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code oci:DIR[:REF]} or {@code oci-archive:PATH[:REF]}: one image of an OCI layout. */
final class OciLayoutReference implements ImageReference {
  private final Transport transport;
  private final LayoutStorage storage;
  private final String pathText;
  private final Path path;
  private final Optional<String> ref;

  private OciLayoutReference(Transport transport, LayoutStorage storage, String pathText, Optional<String> ref) {
    this.transport = transport;
    this.storage = storage;
    this.pathText = pathText;
    this.path = toPath(transport, pathText);
    this.ref = ref;
  }

  /** Parses {@code PATH[:REF]}, split at the first colon. */
  static OciLayoutReference parse(Transport transport, LayoutStorage storage, String text) {
    int colon = text.indexOf(':');
    String pathText = colon < 0 ? text : text.substring(0, colon);
    Optional<String> ref = colon < 0 ? Optional.empty() : Optional.of(text.substring(colon + 1));
    if (pathText.isEmpty()) {
      throw new UsageException(
          "'" + transport.name() + ":" + text + "' has no path", "use " + transport.name() + ":PATH[:REF]");
    }
    if (ref.isPresent() && ref.get().isEmpty()) {
      throw new UsageException(
          "'" + transport.name() + ":" + text + "' ends with an empty image name",
          "drop the trailing colon or name the image after it");
    }
    return new OciLayoutReference(transport, storage, pathText, ref);
  }

  @Override
  public Transport transport() {
    return transport;
  }

  @Override
  public Mono<ImageSource> openSource() {
    return Mono.fromCallable(() -> storage.openFiles(path))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(files -> OciLayoutSource.open(this, files, ref));
  }

  /** The image is named by the reference's REF, else by the name the options give. */
  @Override
  public Mono<ImageDestination> openDestination(DestinationOptions options) {
    Mono<LayoutSink> begin =
        Mono.fromCallable(() -> storage.beginSink(path, options.replaceExisting()))
            .subscribeOn(Schedulers.boundedElastic());
    return OciLayoutDestination.open(this, begin, ref.or(options::imageName));
  }

  @Override
  public Optional<Path> localPath() {
    return Optional.of(path);
  }

  @Override
  public String toString() {
    return transport.name() + ":" + pathText + ref.map(r -> ":" + r).orElse("");
  }

  private static Path toPath(Transport transport, String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new UsageException(
          "'" + transport.name() + ":" + text + "' is not a valid path: " + e.getReason(), "check the path");
    }
  }
}
