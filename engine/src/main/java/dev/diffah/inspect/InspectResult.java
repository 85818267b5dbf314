package dev.diffah.inspect;

import dev.diffah.archive.Compression;
import dev.diffah.archive.Sidecar;
import java.nio.file.Path;

/** What a delta holds and saves, read from its head alone. */
public record InspectResult(Path archive, long archiveBytes, Compression compression, Sidecar sidecar) {}
