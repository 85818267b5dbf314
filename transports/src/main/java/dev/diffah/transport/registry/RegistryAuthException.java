package dev.diffah.transport.registry;

import dev.diffah.error.EnvironmentException;

/** The registry refused our credentials (or their absence): 401/403 after authenticating. */
public final class RegistryAuthException extends EnvironmentException {
  RegistryAuthException(String message, String hint) {
    super(message, hint, null);
  }
}
