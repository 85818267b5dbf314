package dev.diffah.cli;

import dev.diffah.error.UsageException;
import dev.diffah.transport.registry.Credentials;
import dev.diffah.transport.registry.RegistryOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How {@code docker://} references reach their registries; shared by export and import. */
public final class RegistryFlags {
  @Option(names = "--creds", paramLabel = "USER:PASS", description = "Credentials for every registry involved.")
  String creds;

  @Option(names = "--baseline-creds", paramLabel = "USER:PASS", description = "Credentials for the baseline's registry (over --creds).")
  String baselineCreds;

  @Option(
      names = "--authfile",
      paramLabel = "PATH",
      description = "Auth file to read (containers auth.json or docker config.json format).")
  Path authFile;

  @Option(names = "--no-creds", description = "Access registries anonymously.")
  boolean noCreds;

  @Option(
      names = "--tls-verify",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      paramLabel = "BOOL",
      description = "Verify registry TLS certificates; false also allows plain HTTP (default: ${DEFAULT-VALUE}).")
  boolean tlsVerify = true;

  @Option(names = "--cert-dir", paramLabel = "DIR", description = "Extra CA certificates (*.crt) to trust for registries.")
  Path certDir;

  @Option(
      names = "--retry-times",
      defaultValue = "3",
      paramLabel = "N",
      description = "Retries of a registry request that failed transiently (default: ${DEFAULT-VALUE}).")
  int retryTimes = RegistryOptions.DEFAULT_RETRY_TIMES;

  /** Options for the baseline reference. */
  RegistryOptions forBaseline() {
    return options(baselineCreds);
  }

  /** Options for a reference with its own credentials flag value (may be null). */
  RegistryOptions options(String specificCreds) {
    String chosen = specificCreds != null ? specificCreds : creds;
    if (noCreds && authFile != null) {
      throw new UsageException("--no-creds excludes --authfile", "pass only one of them");
    }
    if (noCreds && chosen != null) {
      throw new UsageException("--no-creds excludes --creds and its per-image forms", "pass only one of them");
    }
    if (retryTimes < 0) {
      throw new UsageException("--retry-times must not be negative", "pass --retry-times N with N >= 0");
    }
    RegistryOptions options =
        RegistryOptions.defaults().withTlsVerify(tlsVerify).withRetryTimes(retryTimes).withNoCredentials(noCreds);
    if (chosen != null) {
      options = options.withCredentials(Credentials.parse(chosen));
    }
    if (authFile != null) {
      options = options.withAuthFile(authFile);
    }
    if (certDir != null) {
      options = options.withCertDir(certDir);
    }
    return options;
  }
}
