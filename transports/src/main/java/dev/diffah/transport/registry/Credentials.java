package dev.diffah.transport.registry;

import dev.diffah.error.UsageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for one registry. */
public record Credentials(String username, String password) {

  /** Parses {@code USER[:PASS]}, as skopeo's {@code --creds} takes it. */
  public static Credentials parse(String text) {
    int colon = text.indexOf(':');
    String user = colon < 0 ? text : text.substring(0, colon);
    if (user.isEmpty()) {
      throw new UsageException("credentials without a user name", "pass --creds USER:PASS");
    }
    if (colon < 0) {
      throw new UsageException("credentials for " + user + " without a password", "pass --creds USER:PASS (or use --authfile)");
    }
    return new Credentials(user, text.substring(colon + 1));
  }

  /** The value of an {@code Authorization: Basic} header. */
  public String basicHeader() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + username + ":***]";
  }
}
