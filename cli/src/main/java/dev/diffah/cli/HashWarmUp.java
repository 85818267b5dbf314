package dev.diffah.cli;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Gets SHA-256 compiled with its CPU intrinsic before the first blob arrives: hashing runs at
 * ~50 MiB/s until C2 has compiled it, which a fresh JVM otherwise pays on the first ~50 MiB of
 * every command. Runs on another core while the command line is parsed and the images resolved.
 */
final class HashWarmUp {
  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS = 256;

  private HashWarmUp() {}

  static void startInBackground() {
    Thread thread = new Thread(HashWarmUp::run, "diffah-hash-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  private static void run() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      ByteBuffer zeros = ByteBuffer.allocateDirect(CHUNK);
      for (int i = 0; i < CHUNKS; i++) {
        sha256.update(zeros.clear());
      }
      sha256.digest();
    } catch (NoSuchAlgorithmException ignored) {
      // the command itself reports a JVM without SHA-256
    }
  }
}
