package dev.diffah.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that ends early once it has given the bytes it was allowed, so a parser fed hostile
 * lengths stops at a limit instead of reading, and holding, whatever the input claims.
 */
final class ReadBudget extends FilterInputStream {
  private long remaining;

  ReadBudget(InputStream in) {
    super(in);
  }

  /** Allows the next {@code bytes} bytes to be read. */
  void allow(long bytes) {
    remaining = bytes;
  }

  @Override
  public int read() throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int b = super.read();
    if (b >= 0) {
      remaining--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int n = super.read(b, off, (int) Math.min(len, remaining));
    if (n > 0) {
      remaining -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return super.skip(Math.min(n, Math.max(remaining, 0)));
  }
}
