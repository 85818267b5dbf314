package dev.diffah.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes diffah's log records (JDK platform logging) to stderr as one line each, at the level the
 * user chose. Libraries stay silent unless asked for debug output.
 */
final class Logging {
  /** Held strongly: JUL forgets the level of a logger nobody references. */
  private static final Logger DIFFAH = Logger.getLogger("dev.diffah");
  private static final Logger NETTY = Logger.getLogger("io.netty");

  private Logging() {}

  static void configure(OutputOptions options, PrintWriter err) {
    Level level = options.logLevel();
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new StderrHandler(err));
    root.setLevel(level == Level.FINE ? Level.FINE : Level.OFF);
    NETTY.setLevel(Level.WARNING);
    DIFFAH.setLevel(level);
  }

  private static final class StderrHandler extends Handler {
    private final PrintWriter err;

    StderrHandler(PrintWriter err) {
      this.err = err;
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String message = record.getMessage();
      Object[] params = record.getParameters();
      if (params != null && params.length > 0) {
        // plain numbers: byte counts are easier to compare without grouping separators
        Object[] plain = java.util.Arrays.stream(params).map(p -> p instanceof Number ? p.toString() : p).toArray();
        message = java.text.MessageFormat.format(message, plain);
      }
      err.println("diffah: " + name(record.getLevel()) + ": " + message);
      err.flush();
    }

    private static String name(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "error";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return "warning";
      }
      return level.intValue() >= Level.INFO.intValue() ? "info" : "debug";
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      err.flush();
    }
  }

  /** Parses --log-level values. */
  static Level parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      default -> throw new picocli.CommandLine.TypeConversionException(
          "unknown log level '" + text + "' (use error, warn, info or debug)");
    };
  }
}
