package dev.diffah.transport.registry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import java.util.Map;
import java.util.Optional;

/**
 * How to talk to the registry of one {@code docker://} reference. Immutable; each {@code with...}
 * returns a copy.
 *
 * @param credentials explicit credentials ({@code --creds}); they win over any auth file
 * @param authFile an explicit auth file ({@code --authfile}); replaces the default lookup
 * @param noCredentials access the registry anonymously, whatever the auth files say
 * @param tlsVerify verify TLS certificates; false also allows plain HTTP (skopeo's meaning)
 * @param certDir a directory of extra CA certificates ({@code *.crt}) to trust
 * @param retryTimes how often a request that failed for a transient reason is tried again
 * @param environment the environment the default auth files are found by ({@code HOME},
 *     {@code REGISTRY_AUTH_FILE}, {@code XDG_RUNTIME_DIR})
 * @param meters where registry retries are counted
 * @param timer the clock on which bearer tokens expire
 */
public record RegistryOptions(
    Optional<Credentials> credentials,
    Optional<Path> authFile,
    boolean noCredentials,
    boolean tlsVerify,
    Optional<Path> certDir,
    int retryTimes,
    Map<String, String> environment,
    MeterRegistry meters,
    Scheduler timer) {

  public static final int DEFAULT_RETRY_TIMES = 3;

  public RegistryOptions {
    credentials = credentials == null ? Optional.empty() : credentials;
    authFile = authFile == null ? Optional.empty() : authFile;
    certDir = certDir == null ? Optional.empty() : certDir;
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    meters = meters == null ? new SimpleMeterRegistry() : meters;
    timer = timer == null ? Schedulers.parallel() : timer;
    if (retryTimes < 0) {
      throw new IllegalArgumentException("retryTimes must not be negative");
    }
  }

  /** Verified TLS, three retries, credentials from the process environment's auth files. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(Optional.empty(), Optional.empty(), false, true, Optional.empty(), DEFAULT_RETRY_TIMES, System.getenv(), null, null);
  }

  /** The clock that expires cached tokens (a virtual one in tests). */
  public RegistryOptions withTimer(Scheduler value) {
    return new RegistryOptions(credentials, authFile, noCredentials, tlsVerify, certDir, retryTimes, environment, meters, value);
  }

  /** Where registry retries are counted ({@code diffah.registry.retries}). */
  public RegistryOptions withMeterRegistry(MeterRegistry value) {
    return new RegistryOptions(credentials, authFile, noCredentials, tlsVerify, certDir, retryTimes, environment, value, timer);
  }

  public RegistryOptions withCredentials(Credentials value) {
    return new RegistryOptions(Optional.of(value), authFile, noCredentials, tlsVerify, certDir, retryTimes, environment, meters, timer);
  }

  public RegistryOptions withAuthFile(Path value) {
    return new RegistryOptions(credentials, Optional.of(value), noCredentials, tlsVerify, certDir, retryTimes, environment, meters, timer);
  }

  public RegistryOptions withNoCredentials(boolean value) {
    return new RegistryOptions(credentials, authFile, value, tlsVerify, certDir, retryTimes, environment, meters, timer);
  }

  public RegistryOptions withTlsVerify(boolean value) {
    return new RegistryOptions(credentials, authFile, noCredentials, value, certDir, retryTimes, environment, meters, timer);
  }

  public RegistryOptions withCertDir(Path value) {
    return new RegistryOptions(credentials, authFile, noCredentials, tlsVerify, Optional.of(value), retryTimes, environment, meters, timer);
  }

  public RegistryOptions withRetryTimes(int value) {
    return new RegistryOptions(credentials, authFile, noCredentials, tlsVerify, certDir, value, environment, meters, timer);
  }

  public RegistryOptions withEnvironment(Map<String, String> value) {
    return new RegistryOptions(credentials, authFile, noCredentials, tlsVerify, certDir, retryTimes, value, meters, timer);
  }
}
