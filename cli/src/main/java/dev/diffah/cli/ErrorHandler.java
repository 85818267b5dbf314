package dev.diffah.cli;

import dev.diffah.error.DiffahException;
import dev.diffah.error.ErrorKind;
import dev.diffah.error.IoErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import reactor.core.Exceptions;

/** The one place errors become messages and exit codes (SPEC §7). */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
    OutputOptions options = cli.getCommand() instanceof DiffahCommand c ? c.output() : new OutputOptions();
    Throwable error = unwrap(ex);
    report(cli, options, error);
    return exitCode(error);
  }

  static int onUsageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cli = ex.getCommandLine();
    String message = ex.getMessage();
    String hint = usageHint(ex, args);
    if (wantsJson(args)) {
      Rendering.printJson(cli.getOut(), Rendering.error(cli.getCommandName(), ErrorKind.USAGE, message, hint));
    } else {
      PrintWriter err = cli.getErr();
      err.println("diffah: " + message);
      err.println("hint: " + hint);
      err.flush();
    }
    return ErrorKind.USAGE.exitCode();
  }

  /** Where to look next: the help, plus the likely fix for a typo or an option put too early. */
  private static String usageHint(CommandLine.ParameterException ex, String[] args) {
    CommandLine cli = ex.getCommandLine();
    String help = "see '" + cli.getCommandSpec().qualifiedName() + " --help'";
    if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)) {
      return help;
    }
    List<String> suggestions = unmatched.getSuggestions();
    if (!suggestions.isEmpty()) {
      return "did you mean " + String.join(" or ", suggestions) + "? " + help;
    }
    Optional<String> subcommand = Arrays.stream(args).filter(cli.getSubcommands()::containsKey).findFirst();
    if (cli.getParent() == null && subcommand.isPresent()) {
      return "options go after the subcommand: diffah " + subcommand.get() + " [OPTIONS]; " + help;
    }
    return help;
  }

  static int exitCode(Throwable t) {
    return kind(unwrap(t)).exitCode();
  }

  private static void report(CommandLine cli, OutputOptions options, Throwable error) {
    ErrorKind kind = kind(error);
    String message = kind == ErrorKind.INTERNAL ? "internal error: " + causeChain(error) : error.getMessage();
    String hint =
        error instanceof DiffahException d ? d.hint() : kind == ErrorKind.INTERNAL ? "this is a bug; report it with --debug output" : "";
    if (options.json()) {
      Rendering.printJson(cli.getOut(), Rendering.error(cli.getCommandName(), kind, message, hint));
    } else {
      PrintWriter err = cli.getErr();
      err.println("diffah: " + message);
      if (!hint.isEmpty()) {
        err.println("hint: " + hint);
      }
      err.flush();
    }
    if (options.debug) {
      error.printStackTrace(cli.getErr());
      cli.getErr().flush();
    }
  }

  private static ErrorKind kind(Throwable error) {
    Throwable translated = IoErrors.translate("I/O", error);
    if (translated instanceof DiffahException d) {
      return d.kind();
    }
    if (error instanceof CommandLine.ParameterException) {
      return ErrorKind.USAGE;
    }
    return ErrorKind.INTERNAL;
  }

  /** Strips the wrappers blocking adds, keeping the error the pipeline raised. */
  private static Throwable unwrap(Throwable t) {
    Throwable current = Exceptions.unwrap(t);
    while ((current instanceof UncheckedIOException || isReactiveWrapper(current))
        && current.getCause() != null
        && !(current instanceof DiffahException)) {
      if (current instanceof UncheckedIOException u) {
        return IoErrors.translate("I/O", u.getCause());
      }
      current = current.getCause();
    }
    if (current instanceof IOException io) {
      return IoErrors.translate("I/O", io);
    }
    return current;
  }

  private static boolean isReactiveWrapper(Throwable t) {
    return t.getClass().getName().startsWith("reactor.core.Exceptions");
  }

  private static String causeChain(Throwable error) {
    StringBuilder chain = new StringBuilder(String.valueOf(error));
    for (Throwable c = error.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      chain.append(" <- caused by ").append(c);
    }
    return chain.toString();
  }

  private static boolean wantsJson(String[] args) {
    List<String> list = Arrays.asList(args);
    int i = list.indexOf("--format");
    return list.contains("--format=json") || (i >= 0 && i + 1 < list.size() && "json".equals(list.get(i + 1)));
  }
}
