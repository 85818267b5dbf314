package dev.diffah.transport.oci;

import dev.diffah.io.TarIndex;
import java.nio.file.Path;

/** How an OCI layout is stored: as a directory ({@code oci:}) or as a tar of one ({@code oci-archive:}). */
enum LayoutStorage {
  DIRECTORY {
    @Override
    LayoutFiles openFiles(Path path) {
      return DirectoryFiles.open(path);
    }

    @Override
    LayoutSink beginSink(Path target, boolean replace) {
      return DirectorySink.begin(target, replace);
    }
  },
  ARCHIVE {
    @Override
    LayoutFiles openFiles(Path path) {
      return new TarFiles(TarIndex.open(path));
    }

    @Override
    LayoutSink beginSink(Path target, boolean replace) {
      return TarSink.begin(target, replace);
    }
  };

  /** Opens the layout's files for reading (blocking). */
  abstract LayoutFiles openFiles(Path path);

  /** Reserves the output beside {@code target} (blocking). */
  abstract LayoutSink beginSink(Path target, boolean replace);
}
