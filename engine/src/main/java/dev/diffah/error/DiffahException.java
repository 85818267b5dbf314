package dev.diffah.error;

/**
 * Root of every error diffah reports to a user. Each carries the {@link ErrorKind} that decides the
 * exit code and a hint saying what to do next.
 */
public class DiffahException extends RuntimeException {
  private final ErrorKind kind;
  private final String hint;

  public DiffahException(ErrorKind kind, String message, String hint) {
    this(kind, message, hint, null);
  }

  public DiffahException(ErrorKind kind, String message, String hint, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.hint = hint;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** What the user should do next; may be empty. */
  public String hint() {
    return hint == null ? "" : hint;
  }
}
