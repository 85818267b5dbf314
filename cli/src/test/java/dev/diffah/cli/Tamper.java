package dev.diffah.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Rewrites entries of a delta archive, the way an attacker or a broken tool would. */
final class Tamper {
  private Tamper() {}

  static void rewriteSidecar(Path delta, Path out, UnaryOperator<String> change) throws Exception {
    try (InputStream in = Files.newInputStream(delta);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        OutputStream os = Files.newOutputStream(out);
        TarArchiveOutputStream writer = new TarArchiveOutputStream(os)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        byte[] bytes = tar.readAllBytes();
        if (entry.getName().equals("diffah.json")) {
          bytes = change.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        TarArchiveEntry copy = new TarArchiveEntry(entry.getName());
        copy.setSize(bytes.length);
        writer.putArchiveEntry(copy);
        writer.write(bytes);
        writer.closeArchiveEntry();
      }
    }
  }
}
