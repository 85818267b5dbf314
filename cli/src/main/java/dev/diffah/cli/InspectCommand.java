package dev.diffah.cli;

import dev.diffah.inspect.InspectResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Show what a delta archive holds and how much it saves, without a baseline.",
    footer = {"", "Example:", "  diffah inspect app_v1_to_v2.tar", "  diffah inspect --format json app_v1_to_v2.tar"})
final class InspectCommand implements Callable<Integer>, DiffahCommand {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "PATH", description = "The delta archive.")
  Path archive;

  @Override
  public OutputOptions output() {
    return output;
  }

  @Override
  public Integer call() {
    Session session = new Session(output, spec.commandLine().getErr());
    InspectResult result = session.run(diffah -> diffah.inspect(archive));
    session.report(spec.commandLine().getOut(), Rendering.inspectJson(result), stdout -> Rendering.inspectText(stdout, result));
    return 0;
  }
}
