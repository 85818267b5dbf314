package dev.diffah.transport.oci;

import dev.diffah.error.ContentException;
import dev.diffah.error.IoErrors;
import dev.diffah.error.UsageException;
import dev.diffah.io.Blobs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import dev.diffah.spi.FileRegion;
import java.nio.file.Path;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Layout files in a directory on disk. */
public final class DirectoryFiles implements LayoutFiles {
  private final Path root;

  private DirectoryFiles(Path root) {
    this.root = root;
  }

  /** The files under {@code root}; a usage error when it is not a directory (blocking). */
  public static DirectoryFiles open(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      throw new UsageException(absolute + " is not a directory", "check the path of the image directory");
    }
    return new DirectoryFiles(absolute);
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public Mono<Long> size(String name) {
    return Mono.fromCallable(
            () -> {
              Path path = resolve(name);
              return Files.isRegularFile(path) ? Files.size(path) : null;
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(IOException.class, e -> IoErrors.wrap("reading " + root + "/" + name, e));
  }

  @Override
  public Flux<ByteBuffer> read(String name) {
    return size(name)
        .switchIfEmpty(Mono.error(() -> missing(name)))
        .flatMapMany(size -> Blobs.readRegion(resolve(name), 0, size));
  }

  @Override
  public Mono<byte[]> readSmall(String name, int limit) {
    return size(name)
        .switchIfEmpty(Mono.error(() -> missing(name)))
        .flatMap(
            size -> {
              if (size > limit) {
                return Mono.error(
                    new ContentException(
                        root + ": " + name + " is " + size + " bytes, over the " + limit + " byte limit",
                        "the image directory is malformed or hostile"));
              }
              return Mono.fromCallable(() -> Files.readAllBytes(resolve(name)))
                  .subscribeOn(Schedulers.boundedElastic())
                  .onErrorMap(IOException.class, e -> IoErrors.wrap("reading " + resolve(name), e));
            });
  }

  @Override
  public Optional<FileRegion> localRegion(String name) {
    Path path = resolve(name);
    try {
      return Files.isRegularFile(path) ? Optional.of(new FileRegion(path, 0, Files.size(path))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The path of {@code name}, refusing names that climb out of the directory, by their text or
   * through a symlink (a layout's files never need to point elsewhere).
   */
  private Path resolve(String name) {
    Path path = root.resolve(name).normalize();
    if (!path.startsWith(root) || path.equals(root) || escapesThroughLink(path)) {
      throw new ContentException(
          root + ": path '" + name + "' leaves the image directory", "the image is malformed or hostile");
    }
    return path;
  }

  private boolean escapesThroughLink(Path path) {
    try {
      return Files.exists(path) && !path.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  private ContentException missing(String name) {
    return new ContentException(root + " has no file " + name, "the image directory is incomplete");
  }
}
