package dev.diffah.cli;

import static dev.diffah.testkit.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.diffah.model.Digest;
import dev.diffah.testkit.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupts real archives and deltas at random and runs diffah on them. Every run must end in a
 * verified success or a documented error (exit 2 or 4) with no stack trace and no partial
 * output; never an internal error. CI uses a fixed seed; {@code -Ddiffah.fuzz.runs=N} and {@code
 * -Ddiffah.fuzz.seed=S} explore further.
 */
class MutationFuzzTest {
  private static final int RUNS = Integer.getInteger("diffah.fuzz.runs", 120);
  private static final long SEED = Long.getLong("diffah.fuzz.seed", 20261203L);
  /** Damaged bytes are a content problem (4), or at worst leave a selector ambiguous (2); never 1 or 3. */
  private static final Set<Integer> DOCUMENTED = Set.of(0, 2, 4);

  @TempDir Path dir;

  private record Input(String name, Path file, String transport) {}

  @Test
  void corruptedInputsEndInVerifiedResultsOrDocumentedErrors() throws Exception {
    Path delta = dir.resolve("good-delta.tar");
    Cli.Run exported = Cli.run("export", "--target", "oci-archive:" + fixture("v2_oci.tar"), "--baseline", "oci-archive:" + fixture("v1_oci.tar"), "--output", delta.toString());
    assertThat(exported.exitCode()).as(exported.toString()).isZero();
    Path zstdDelta = dir.resolve("good-delta.zst");
    assertThat(Cli.run("export", "--target", "docker-archive:" + fixture("v2_s2.tar"), "--baseline", "docker-archive:" + fixture("v1_s2.tar"), "--output", zstdDelta.toString(), "--compress", "zstd").exitCode()).isZero();
    String targetDigest = Digest.sha256(Tools.skopeo("inspect", "--raw", "oci-archive:" + fixture("v2_oci.tar")).getBytes(StandardCharsets.UTF_8)).toString();

    List<Input> inputs =
        List.of(
            new Input("delta", delta, null),
            new Input("zstd-delta", zstdDelta, null),
            new Input("v2_oci", fixture("v2_oci.tar"), "oci-archive:"),
            new Input("v2_s2", fixture("v2_s2.tar"), "docker-archive:"),
            new Input("v4_target_s2", fixture("v4_target_s2.tar"), "docker-archive:"));
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      Input input = inputs.get(random.nextInt(inputs.size()));
      Path work = Files.createDirectories(dir.resolve("run-" + run));
      Path mutated = work.resolve(input.name() + ".tar");
      String mutation = Mutations.apply(Files.readAllBytes(input.file()), mutated, random);
      Path out = work.resolve("out");
      Cli.Run result =
          input.transport() == null
              ? Cli.run("import", "--delta", mutated.toString(), "--baseline", "oci-archive:" + fixture("v1_oci.tar"), "--output", out.toString(), "--output-format", "oci")
              : Cli.run("export", "--target", input.transport() + mutated, "--baseline", "oci-archive:" + fixture("v1_oci.tar"), "--output", out.toString());
      String problem = judge(result, out, work, input, targetDigest);
      if (problem != null) {
        failures.add("run " + run + " (" + input.name() + ", " + mutation + "): " + problem + "\n" + result);
      }
    }
    assertThat(failures).as("seed " + SEED).isEmpty();
  }

  private static String judge(Cli.Run result, Path out, Path work, Input input, String targetDigest) throws Exception {
    if (!DOCUMENTED.contains(result.exitCode())) {
      return "undocumented exit code " + result.exitCode();
    }
    if (result.err().contains("\tat ") || result.err().contains("Exception")) {
      return "stack trace or exception name on stderr";
    }
    try (Stream<Path> files = Files.list(work)) {
      if (files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) {
        return "temporary file left behind";
      }
    }
    if (result.exitCode() != 0) {
      return Files.exists(out) ? "output written despite failure" : null;
    }
    if (input.transport() == null && input.name().equals("delta")) {
      String written = Digest.sha256(Tools.skopeo("inspect", "--raw", "oci:" + out).getBytes(StandardCharsets.UTF_8)).toString();
      return written.equals(targetDigest) ? null : "import succeeded with manifest " + written;
    }
    return null;
  }
}
