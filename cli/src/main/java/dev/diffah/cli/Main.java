package dev.diffah.cli;

import dev.diffah.DiffahVersion;
import dev.diffah.transport.Transports;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import reactor.util.Loggers;

/** The {@code diffah} command: ships only the layers that changed between two container images. */
@Command(
    name = "diffah",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Moves container images between sites that cannot reach each other's registries by "
            + "shipping only the layers that changed: export a delta against a baseline, import it "
            + "where the baseline already is.",
    footer = {
      "",
      "Images are named transport:reference, as with skopeo:",
      "  docker://HOST[:PORT]/REPO[:TAG|@DIGEST]  (export target, baselines)",
      "  docker-archive:PATH[:NAME:TAG|:@INDEX]   oci-archive:PATH[:REF]",
      "  oci:DIR[:REF]                            dir:PATH",
      "",
      "Exit codes: 0 ok, 1 internal error, 2 usage, 3 environment (I/O, network),",
      "4 content (bad archive, digest mismatch, missing baseline blob)."
    })
public final class Main implements Runnable {
  /** The subcommands that hash blobs, and so gain from {@link HashWarmUp}. */
  private static final Set<String> HASHING_COMMANDS = Set.of("export", "import");

  /** Subcommands in the order help lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (args.length > 0 && HASHING_COMMANDS.contains(args[0])) {
      HashWarmUp.startInBackground();
    }
    int code = execute(args);
    releaseNetworkThreads();
    System.exit(code);
  }

  /**
   * Idle Netty threads would hold the exit back ~300 ms. Not through {@link Await}: after a stop
   * signal the JVM is already shutting down and takes no new shutdown hook.
   */
  private static void releaseNetworkThreads() {
    try {
      Transports.releaseNetworkThreads().block(Duration.ofSeconds(2));
    } catch (RuntimeException slowOrFailed) {
      // a release that fails or lags only costs the exit delay it saves
    }
  }

  /** Runs the CLI and returns its exit code (tests call this with captured streams). */
  public static int execute(String... args) {
    return newCommandLine(args).execute(args);
  }

  /**
   * The command line for {@code args}. Building a subcommand's model costs start-up time (picocli
   * reflects over every option), so a run that names its subcommand first gets only that one; any
   * other run (help, an unknown name, no subcommand) gets them all.
   */
  static CommandLine newCommandLine(String... args) {
    quietLibraryLogging();
    CommandLine cli = new CommandLine(new Main());
    String first = args.length == 0 ? "" : args[0];
    if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
      cli.addSubcommand(first, SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(ErrorHandler::onUsageError);
    cli.setExitCodeExceptionMapper(ErrorHandler::exitCode);
    cli.setExecutionStrategy(Main::configureThenRun);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reactor and Netty log through JUL here; their warnings would only repeat our own errors. */
  private static void quietLibraryLogging() {
    Loggers.useJdkLoggers();
    Logger.getLogger("").setLevel(Level.OFF);
  }

  private static int configureThenRun(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    if (leaf.commandSpec().userObject() instanceof DiffahCommand command) {
      Logging.configure(command.output(), leaf.commandSpec().commandLine().getErr());
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("export", ExportCommand::new);
    commands.put("import", ImportCommand::new);
    commands.put("inspect", InspectCommand::new);
    commands.put("version", VersionCommand::new);
    commands.put("help", CommandLine.HelpCommand::new);
    return commands;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {DiffahVersion.TOOL + " " + DiffahVersion.version()};
    }
  }
}
