package dev.diffah.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent tools tests check our output with (skopeo, podman, umoci). The test command
 * installs them; a missing tool fails the test rather than skipping it.
 */
public final class Tools {
  private Tools() {}

  /** The outcome of one command. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result requireSuccess(List<String> command) {
      if (exitCode != 0) {
        throw new AssertionError(
            String.join(" ", command) + " exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  /** Runs a command to completion (5 minutes at most) and returns its output. */
  public static Result run(List<String> command) {
    return run(command, java.util.Map.of());
  }

  /** Runs a command with extra environment variables. */
  public static Result run(List<String> command, java.util.Map<String, String> env) {
    try {
      Path out = Files.createTempFile("tool", ".out");
      Path err = Files.createTempFile("tool", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
        }
        return new Result(
            p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** Runs a command and fails the test unless it exits 0. */
  public static String check(String... command) {
    List<String> cmd = List.of(command);
    return run(cmd).requireSuccess(cmd).stdout();
  }

  /** {@code skopeo} with no signature policy lookups, so it works on a bare machine. */
  public static String skopeo(String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    return run(cmd).requireSuccess(cmd).stdout();
  }

  /** {@code podman} with its own vfs storage under {@code root}, isolated from the machine's. */
  public static Result podman(Path root, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "podman",
                "--storage-driver",
                "vfs",
                "--root",
                root.resolve("root").toString(),
                "--runroot",
                root.resolve("runroot").toString(),
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "none"));
    cmd.addAll(List.of(args));
    return run(cmd);
  }
}
