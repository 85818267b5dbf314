package dev.diffah.io;

import dev.diffah.error.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** Refuses an output that is one of the command's own inputs: writing it would destroy the input. */
public final class OutputGuard {
  private OutputGuard() {}

  public static void notAnInput(Path output, Collection<Path> inputs) {
    Path out = output.toAbsolutePath().normalize();
    for (Path input : inputs) {
      if (same(out, input.toAbsolutePath().normalize())) {
        throw new UsageException(
            "output " + output + " is also an input of this command", "write the output to another path");
      }
    }
  }

  private static boolean same(Path a, Path b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
