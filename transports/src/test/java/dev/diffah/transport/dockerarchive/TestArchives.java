package dev.diffah.transport.dockerarchive;

import dev.diffah.io.Blobs;
import dev.diffah.io.TarIndex;
import dev.diffah.io.TarWriter;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageReference;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import reactor.test.StepVerifier;

/** Builds and reads docker-archives in tests. */
final class TestArchives {
  private TestArchives() {}

  /** One entry of a hand-built tar. */
  sealed interface Entry {}

  record File(String name, byte[] bytes) implements Entry {
    static File of(String name, String text) {
      return new File(name, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  record Symlink(String name, String target) implements Entry {}

  static ImageReference reference(String afterColon) {
    return new DockerArchiveTransport().parse(afterColon);
  }

  static ImageReference reference(Path path) {
    return reference(path.toString());
  }

  static ImageSource open(ImageReference reference) {
    return reference.openSource().block();
  }

  /** Writes a tar holding exactly {@code entries}, in order. */
  static Path write(Path file, List<Entry> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarWriter tar = new TarWriter(out)) {
      for (Entry entry : entries) {
        if (entry instanceof File f) {
          tar.putFile(f.name(), f.bytes()).block();
        } else if (entry instanceof Symlink s) {
          tar.putSymlink(s.name(), s.target()).block();
        }
      }
      tar.finish().block();
    }
    return file;
  }

  /** The bytes of one entry of a tar (small entries only). */
  static byte[] entry(Path tarFile, String name) {
    return TarIndex.open(tarFile).readSmall(name, 64 * 1024 * 1024).block();
  }

  /** Streams a blob through {@link Blobs#verify} and asserts it completes. */
  static void assertBlobVerifies(ImageSource source, Descriptor descriptor) {
    StepVerifier.create(Blobs.verify(source.blob(descriptor), descriptor, source.reference().toString()).then())
        .verifyComplete();
  }

  static byte[] readBlob(ImageSource source, Descriptor descriptor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    source.blob(descriptor).doOnNext(buf -> Blobs.write(out, buf)).blockLast();
    return out.toByteArray();
  }

  /** Copies the image of {@code source} into {@code destination}: config, distinct layers, manifest. */
  static void copy(ImageSource source, ImageReference destination, Optional<String> name, boolean replace) {
    RawManifest manifest = source.manifest().block();
    ImageManifest image = Manifests.image(manifest, "test");
    try (ImageDestination dest = destination.openDestination(new DestinationOptions(name, replace)).block()) {
      dest.putBlob(image.config(), source.blob(image.config())).block();
      for (Descriptor layer : image.distinctLayers()) {
        dest.putBlob(layer, source.blob(layer)).block();
      }
      dest.putManifest(manifest).block();
      dest.commit().block();
    }
  }

  /** skopeo copy of {@code from} into a docker-archive at {@code target} (tagged when given). */
  static Path skopeoToDockerArchive(String from, Path target, String tag) {
    Tools.skopeo("copy", "-q", from, "docker-archive:" + target + (tag == null ? "" : ":" + tag));
    return target;
  }
}
