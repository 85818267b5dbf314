package dev.diffah.cli;

import dev.diffah.model.Manifests;
import dev.diffah.model.MediaTypes;
import dev.diffah.model.RawManifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Loads and links what every command needs (Jackson and its deserializers for manifests, the
 * SHA-256 provider, the tar classes) on another core while picocli builds the command line: a
 * third of a second of start-up that would otherwise run before any work.
 */
final class WarmUp {
  private static final String SAMPLE =
      "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
          + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":2},\"layers\":[]}";

  private WarmUp() {}

  static void startInBackground() {
    Thread thread = new Thread(WarmUp::run, "diffah-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      Manifests.image(RawManifest.of(SAMPLE.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST), "warm-up");
      MessageDigest.getInstance("SHA-256").digest(SAMPLE.getBytes(StandardCharsets.UTF_8));
      new TarArchiveEntry("warm-up").setSize(1);
    } catch (RuntimeException | NoSuchAlgorithmException ignored) {
      // warming up only saves time; the command itself reports any real problem
    }
  }
}
