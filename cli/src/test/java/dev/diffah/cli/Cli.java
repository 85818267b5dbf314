package dev.diffah.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.diffah.model.Json;
import dev.diffah.testkit.Tools;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the CLI as a user would: in this JVM with captured streams, or as a separate java process. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (IOException e) {
        throw new UncheckedIOException("stdout is not JSON: " + out, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.newCommandLine(args).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs {@code dev.diffah.cli.Main} in a fresh JVM with the given JVM options and environment. */
  static Run fork(List<String> jvmOptions, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + "/bin/java");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Tools.Result r = Tools.run(command, env);
    return new Run(r.exitCode(), r.stdout(), r.stderr());
  }
}
