package dev.diffah.error;

/** The machine or network failed us: I/O errors, permissions, a full disk, an unreachable host. */
public class EnvironmentException extends DiffahException {
  public EnvironmentException(String message, String hint, Throwable cause) {
    super(ErrorKind.ENVIRONMENT, message, hint, cause);
  }
}
