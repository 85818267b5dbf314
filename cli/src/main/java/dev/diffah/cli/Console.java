package dev.diffah.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Messages for people on stderr, never on stdout. */
final class Console {
  private Console() {}

  static void warn(CommandSpec spec, OutputOptions options, String message) {
    if (options.logLevel().intValue() <= java.util.logging.Level.WARNING.intValue()) {
      spec.commandLine().getErr().println("warning: " + message);
      spec.commandLine().getErr().flush();
    }
  }
}
