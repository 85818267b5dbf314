package dev.diffah.cli;

import java.util.logging.Level;
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

  @Option(names = "--stats", description = "Print bytes, blobs and time per stage when done.")
  boolean stats;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      paramLabel = "MODE",
      description = "auto (bars on a terminal, periodic lines otherwise), bars, lines or off; on stderr.")
  ProgressRenderer.Mode progress = ProgressRenderer.Mode.auto;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing on stderr but errors.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log what diffah does on stderr; -vv for debug detail.")
  boolean[] verbose = new boolean[0];

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      converter = LogLevelConverter.class,
      description = "error, warn (default), info or debug; overrides -v and -q.")
  Level logLevel;

  /** The effective log level from --log-level, -v and -q. */
  public Level logLevel() {
    if (logLevel != null) {
      return logLevel;
    }
    if (quiet) {
      return Level.SEVERE;
    }
    return switch (verbose.length) {
      case 0 -> Level.WARNING;
      case 1 -> Level.INFO;
      default -> Level.FINE;
    };
  }

  static final class LogLevelConverter implements picocli.CommandLine.ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      return Logging.parse(value);
    }
  }

  public boolean json() {
    return format == Format.json;
  }
}
