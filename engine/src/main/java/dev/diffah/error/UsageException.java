package dev.diffah.error;

/** The user asked for something that cannot be done as asked: a bad reference, flag or choice. */
public class UsageException extends DiffahException {
  public UsageException(String message, String hint) {
    super(ErrorKind.USAGE, message, hint);
  }
}
