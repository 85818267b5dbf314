package dev.diffah.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.testkit.ImageGenerator;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs stream: a layer much larger than the heap goes through export and import. */
class LargeLayerTest {
  private static final long LAYER_BYTES = 300L * 1024 * 1024;
  private static final List<String> SMALL_HEAP = List.of("-Xmx128m", "-XX:+UseSerialGC");

  @TempDir Path dir;

  private Path v1;
  private Path v2;
  private ImageGenerator.Layer big;
  private ImageGenerator.Image target;

  @BeforeEach
  void images() {
    v1 = dir.resolve("v1");
    v2 = dir.resolve("v2");
    ImageGenerator.Layer base = ImageGenerator.layer(v1, 1024 * 1024, 1, true);
    ImageGenerator.image(v1, List.of(base), "v1");
    ImageGenerator.layer(v2, 1024 * 1024, 1, true);
    big = ImageGenerator.layer(v2, LAYER_BYTES, 2, false);
    target = ImageGenerator.image(v2, List.of(base, big), "v2");
  }

  @Test
  void aLayerLargerThanTheHeapGoesThroughExportAndImport() throws Exception {

    Path delta = dir.resolve("delta.tar");
    Cli.Run export = Cli.fork(SMALL_HEAP, Map.of(), "export", "--target", "oci:" + v2, "--baseline", "oci:" + v1, "--output", delta.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(Files.size(delta)).isGreaterThan(LAYER_BYTES);

    Path out = dir.resolve("out");
    Cli.Run importRun =
        Cli.fork(SMALL_HEAP, Map.of(), "import", "--delta", delta.toString(), "--baseline", "oci:" + v1, "--output", out.toString(), "--output-format", "oci");
    assertThat(importRun.exitCode()).as(importRun.toString()).isZero();
    assertThat(out.resolve("blobs/sha256").resolve(big.digest().hex())).hasSize(big.size());
    assertThat(Tools.skopeo("inspect", "--raw", "oci:" + out + ":v2")).isEqualTo(new String(target.manifest(), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A stopped process (SIGTERM, as Ctrl-C or kill sends) removes its partial output. */
  @Test
  void aStoppedExportLeavesNoTemporaryFiles() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx128m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of("export", "--target", "oci:" + v2, "--baseline", "oci:" + v1, "--output", out.resolve("delta.tar").toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (listing(out).isEmpty() && process.isAlive() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    assertThat(listing(out)).as("export started writing").isNotEmpty();
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(listing(out)).as("left after SIGTERM").isEmpty();
  }

  private static List<Path> listing(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      return files.toList();
    }
  }
}
