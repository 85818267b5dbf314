package dev.diffah.telemetry;

import dev.diffah.model.Descriptor;

/**
 * Hears how far an export or import has come. Calls arrive on pipeline threads and must return
 * quickly; a listener that renders should only record here and draw on its own thread.
 */
public interface ProgressListener {
  ProgressListener NONE = new ProgressListener() {};

  /** The work ahead: how many blobs and bytes will be moved. */
  default void planned(int blobs, long bytes) {}

  /** A blob starts streaming from {@code source} (delta, baseline, target). */
  default void started(Descriptor blob, String source) {}

  /** {@code bytes} more bytes of {@code blob} went through. */
  default void advanced(Descriptor blob, long bytes) {}

  /** A blob is complete and verified. */
  default void finished(Descriptor blob) {}
}
