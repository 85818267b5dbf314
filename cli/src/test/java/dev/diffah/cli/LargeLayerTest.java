package dev.diffah.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.testkit.ImageGenerator;
import dev.diffah.testkit.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs stream: a layer much larger than the heap goes through export and import. */
class LargeLayerTest {
  private static final long LAYER_BYTES = 300L * 1024 * 1024;
  private static final List<String> SMALL_HEAP = List.of("-Xmx128m", "-XX:+UseSerialGC");

  @TempDir Path dir;

  @Test
  void aLayerLargerThanTheHeapGoesThroughExportAndImport() throws Exception {
    Path v1 = dir.resolve("v1");
    Path v2 = dir.resolve("v2");
    ImageGenerator.Layer base = ImageGenerator.layer(v1, 1024 * 1024, 1, true);
    ImageGenerator.image(v1, List.of(base), "v1");
    Files.createDirectories(v2.resolve("blobs/sha256"));
    Files.copy(v1.resolve("blobs/sha256").resolve(base.digest().hex()), v2.resolve("blobs/sha256").resolve(base.digest().hex()));
    ImageGenerator.Layer big = ImageGenerator.layer(v2, LAYER_BYTES, 2, false);
    ImageGenerator.Image target = ImageGenerator.image(v2, List.of(base, big), "v2");

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
}
