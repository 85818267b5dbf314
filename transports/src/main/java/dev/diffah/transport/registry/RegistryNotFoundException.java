package dev.diffah.transport.registry;

import dev.diffah.error.ContentException;

/** The registry has no such manifest or blob (404). */
public final class RegistryNotFoundException extends ContentException {
  RegistryNotFoundException(String message) {
    super(message, "check the repository, tag or digest; the image may have been deleted");
  }
}
