package dev.diffah.bench;

import dev.diffah.Diffah;
import dev.diffah.export.ExportRequest;
import dev.diffah.importer.ImportRequest;
import dev.diffah.spi.ImageReference;
import dev.diffah.transport.Transports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * Times export or import as an application embedding the engine sees them: the same operation
 * several times in one JVM, so start-up and JIT warm-up are paid once. Prints the best of the
 * runs after the first, in seconds.
 *
 * <p>Usage: {@code InProcess RUNS export TARGET BASELINE OUTPUT} or {@code InProcess RUNS import
 * DELTA BASELINE OUTPUT_REF}, references as on the command line ({@code oci-archive:v1.tar}).
 */
public final class InProcess {
  private InProcess() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5 || Integer.parseInt(args[0]) < 2) {
      throw new IllegalArgumentException("usage: InProcess RUNS(>=2) export|import INPUT BASELINE OUTPUT");
    }
    int runs = Integer.parseInt(args[0]);
    Diffah diffah = Diffah.create();
    ImageReference baseline = Transports.parse(args[3]);
    Mono<?> operation =
        switch (args[1]) {
          case "export" -> diffah.export(ExportRequest.of(Transports.parse(args[2]), baseline, Path.of(args[4])));
          case "import" -> diffah.importImage(ImportRequest.of(Path.of(args[2]), baseline, Transports.parse(args[4])));
          default -> throw new IllegalArgumentException("not an operation: " + args[1]);
        };
    Path output = Path.of(args[1].equals("export") ? args[4] : args[4].substring(args[4].indexOf(':') + 1));
    double best = Double.MAX_VALUE;
    for (int run = 0; run < runs; run++) {
      deleteTree(output);
      long start = System.nanoTime();
      operation.block();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (run > 0) {
        best = Math.min(best, seconds);
      }
    }
    deleteTree(output);
    System.out.printf("%.3f%n", best);
    System.exit(0);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
