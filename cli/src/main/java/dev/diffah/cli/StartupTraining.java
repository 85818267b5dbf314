package dev.diffah.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the everyday commands once on small sample images, in one JVM. The build runs it with
 * {@code -XX:ArchiveClassesAtExit}, so the class-data-sharing archive beside the jar holds what
 * export, inspect and import load: start-up then skips most class loading and verification.
 *
 * <p>Usage: {@code StartupTraining FIXTURES_DIR} (a directory holding the project's test images).
 */
public final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: StartupTraining FIXTURES_DIR");
    }
    Path fixtures = Path.of(args[0]);
    Path work = Files.createTempDirectory("diffah-training");
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    try (PrintStream silent = new PrintStream(OutputStream.nullOutputStream())) {
      System.setOut(silent);
      System.setErr(silent);
      for (List<String> command : commands(fixtures, work)) {
        int status = Main.execute(command.toArray(String[]::new));
        if (status != 0) {
          throw new IllegalStateException("training command failed with exit " + status + ": " + command);
        }
      }
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
      deleteTree(work);
    }
  }

  private static List<List<String>> commands(Path fixtures, Path work) {
    String v1 = "oci-archive:" + fixtures.resolve("v1_oci.tar");
    String delta = work.resolve("delta.tar").toString();
    String s2Delta = work.resolve("s2-delta.tar").toString();
    return List.of(
        List.of("version"),
        List.of("export", "--stats", "--target", "oci-archive:" + fixtures.resolve("v2_oci.tar"), "--baseline", v1, "--output", delta),
        List.of(
            "export", "--format", "json", "--target", "docker-archive:" + fixtures.resolve("v2_s2.tar"),
            "--baseline", "docker-archive:" + fixtures.resolve("v1_s2.tar"), "--output", s2Delta),
        List.of("inspect", delta),
        List.of("inspect", "--format", "json", s2Delta),
        importInto("docker-archive", delta, v1, work.resolve("out-docker.tar")),
        importInto("oci-archive", delta, v1, work.resolve("out-oci.tar")),
        importInto("oci", delta, v1, work.resolve("out-oci")),
        importInto("dir", delta, v1, work.resolve("out-dir")));
  }

  private static List<String> importInto(String format, String delta, String baseline, Path output) {
    return List.of("import", "--stats", "--delta", delta, "--baseline", baseline, "--output", output.toString(), "--output-format", format);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
