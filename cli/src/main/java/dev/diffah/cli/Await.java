package dev.diffah.cli;

import dev.diffah.error.DiffahException;
import dev.diffah.error.ErrorKind;
import dev.diffah.io.TempFiles;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * Where the CLI blocks on the engine. If the process is stopped meanwhile (Ctrl-C, kill), the
 * pipeline is cancelled and every temporary file removed before the JVM exits.
 */
final class Await {
  private Await() {}

  static <T> T result(Mono<T> work) {
    // the hook goes in before the work starts, so no temporary file is ever created unguarded
    AtomicReference<CompletableFuture<T>> running = new AtomicReference<>();
    Thread onStop =
        new Thread(
            () -> {
              CompletableFuture<T> started = running.get();
              if (started != null) {
                started.cancel(true);
              }
              TempFiles.deleteAll();
            },
            "diffah-stop");
    Runtime.getRuntime().addShutdownHook(onStop);
    CompletableFuture<T> future = work.toFuture();
    running.set(future);
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } catch (CancellationException e) {
      throw new DiffahException(ErrorKind.ENVIRONMENT, "stopped by a signal; any partial output was removed", "run the command again");
    } finally {
      removeHook(onStop);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing left to undo
    }
  }
}
