package dev.diffah.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Ways to damage an archive: flipped bits, zeroed blocks, truncation, spliced copies. */
final class Mutations {
  private Mutations() {}

  /** Writes a damaged copy of {@code bytes} to {@code target}; returns what was done. */
  static String apply(byte[] bytes, Path target, Random random) throws IOException {
    byte[] out = bytes.clone();
    String what;
    switch (random.nextInt(5)) {
      case 0 -> {
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        what = flips + " bit flip(s)";
      }
      case 1 -> {
        int at = random.nextInt(out.length);
        int length = Math.min(512, out.length - at);
        Arrays.fill(out, at, at + length, (byte) 0);
        what = "zeroed " + length + " bytes at " + at;
      }
      case 2 -> {
        int keep = random.nextInt(out.length);
        out = Arrays.copyOf(out, keep);
        what = "truncated to " + keep;
      }
      case 3 -> {
        int from = random.nextInt(out.length);
        int to = random.nextInt(out.length);
        int length = Math.min(Math.min(1024, out.length - from), out.length - to);
        System.arraycopy(bytes, from, out, to, length);
        what = "copied " + length + " bytes from " + from + " to " + to;
      }
      default -> {
        // damage inside the first tar headers, where names, sizes and the sidecar live
        int at = random.nextInt(Math.min(out.length, 4096));
        out[at] = (byte) random.nextInt(256);
        what = "header byte " + at;
      }
    }
    Files.write(target, out);
    return what;
  }
}
