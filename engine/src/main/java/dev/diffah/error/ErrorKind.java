package dev.diffah.error;

/** The classes of failure of the product contract, each with its process exit code. */
public enum ErrorKind {
  INTERNAL(1),
  USAGE(2),
  ENVIRONMENT(3),
  CONTENT(4);

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
