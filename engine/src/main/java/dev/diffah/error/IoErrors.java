package dev.diffah.error;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turns low-level I/O failures into errors that name the thing and the next step. */
public final class IoErrors {
  private IoErrors() {}

  public static DiffahException wrap(String what, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new UsageException(what + ": no such file " + e.getMessage(), "check the path");
    }
    if (e instanceof AccessDeniedException) {
      return new EnvironmentException(
          what + ": permission denied on " + e.getMessage(), "check file permissions", e);
    }
    if (e instanceof java.nio.file.FileSystemException fs && "Is a directory".equals(fs.getReason())) {
      return new UsageException(what + ": " + fs.getFile() + " is a directory, not a file", "pass the path of a file");
    }
    if ("Is a directory".equals(e.getMessage())) {
      return new UsageException(what + ": a directory, not a file", "pass the path of a file");
    }
    if (e instanceof FileAlreadyExistsException) {
      return new UsageException(
          what + ": " + e.getMessage() + " already exists", "remove it or choose another path");
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new EnvironmentException(
        what + ": " + detail, "check free disk space and that the path is readable/writable", e);
  }

  /** Maps any throwable met in a pipeline to a {@link DiffahException} where it is an I/O error. */
  public static Throwable translate(String what, Throwable t) {
    if (t instanceof DiffahException) {
      return t;
    }
    if (t instanceof UncheckedIOException u) {
      return wrap(what, u.getCause());
    }
    if (t instanceof IOException io) {
      return wrap(what, io);
    }
    return t;
  }
}
