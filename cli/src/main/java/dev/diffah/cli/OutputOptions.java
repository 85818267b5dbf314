package dev.diffah.cli;

import picocli.CommandLine.Option;

/** Options every command shares: how results and errors are rendered. */
public final class OutputOptions {
  /** The two renderings of results and errors. */
  public enum Format {
    text,
    json
  }

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Result format on stdout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing on stderr but errors.")
  boolean quiet;

  public boolean json() {
    return format == Format.json;
  }
}
