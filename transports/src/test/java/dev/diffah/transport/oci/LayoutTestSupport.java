package dev.diffah.transport.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.io.Blobs;
import dev.diffah.model.Descriptor;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Json;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.DestinationOptions;
import dev.diffah.spi.ImageDestination;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Tools;
import dev.diffah.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Shared steps of the layout transport tests: open, copy like the engine does, ask skopeo. */
public final class LayoutTestSupport {
  /** Every OCI fixture, each an oci-archive written by containers-image. */
  public static final List<String> OCI_FIXTURES =
      List.of(
          "v1_oci.tar",
          "v2_oci.tar",
          "v3_oci.tar",
          "v4_baseline_oci.tar",
          "v4_target_oci.tar",
          "unrelated_oci.tar");

  private LayoutTestSupport() {}

  public static ImageSource open(String reference) {
    return Transports.parse(reference).openSource().block();
  }

  public static ImageManifest imageManifest(ImageSource source) {
    return Manifests.image(source.manifest().block(), source.reference().toString());
  }

  /**
   * Copies one image the way the engine does: config, distinct layers (verified while they
   * stream), manifest, commit. Returns the manifest written.
   */
  public static RawManifest copy(ImageSource source, String destination, Optional<String> imageName) {
    ImageManifest manifest = imageManifest(source);
    try (ImageDestination out =
        Transports.parse(destination).openDestination(new DestinationOptions(imageName, false)).block()) {
      put(source, out, manifest.config());
      manifest.distinctLayers().forEach(layer -> put(source, out, layer));
      out.putManifest(manifest.raw()).block();
      out.commit().block();
    }
    return manifest.raw();
  }

  /** Reads a blob through the source and checks it against its descriptor. */
  public static long verifiedLength(ImageSource source, Descriptor descriptor) {
    return Blobs.verify(source.blob(descriptor), descriptor, source.reference().toString())
        .map(buf -> (long) buf.remaining())
        .reduce(0L, Long::sum)
        .block();
  }

  /** {@code skopeo inspect} of a reference: the digest skopeo computes for it. */
  public static String skopeoDigest(String reference) {
    try {
      JsonNode inspect = Json.MAPPER.readTree(Tools.skopeo("inspect", reference));
      return inspect.path("Digest").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names of everything directly in {@code dir}. */
  public static List<String> listing(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(ImageSource source, ImageDestination out, Descriptor descriptor) {
    out.putBlob(descriptor, Blobs.verify(source.blob(descriptor), descriptor, source.reference().toString())).block();
  }
}
