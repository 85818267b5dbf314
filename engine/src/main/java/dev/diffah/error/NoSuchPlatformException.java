package dev.diffah.error;

/** The image or list a reference names has nothing for the platform asked for. */
public class NoSuchPlatformException extends UsageException {
  public NoSuchPlatformException(String message, String hint) {
    super(message, hint);
  }
}
