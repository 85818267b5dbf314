package dev.diffah.error;

/** Input bytes are not what they claim to be: a bad archive, manifest, digest or size. */
public class ContentException extends DiffahException {
  public ContentException(String message, String hint) {
    super(ErrorKind.CONTENT, message, hint);
  }

  public ContentException(String message, String hint, Throwable cause) {
    super(ErrorKind.CONTENT, message, hint, cause);
  }
}
