package dev.diffah.importer;

import dev.diffah.archive.Sidecar;
import dev.diffah.model.Digest;
import java.util.List;

/**
 * The outcome of an import (or the report of a dry run).
 *
 * @param output the written image reference; null for a dry run
 * @param manifestDigest digest of the manifest written (differs from the target's only after an
 *     OCI conversion); null for a dry run
 * @param manifestStored whether the output format stores the manifest (docker-archive does not)
 * @param configDigest the image config's digest: the image ID docker and podman show
 * @param warnings things the user should know that did not stop the import
 */
public record ImportResult(
    Sidecar sidecar,
    List<BlobReachability> reachability,
    boolean dryRun,
    String output,
    Digest manifestDigest,
    boolean manifestStored,
    Digest configDigest,
    List<String> warnings) {

  public boolean allReachable() {
    return reachability.stream().allMatch(BlobReachability::reachable);
  }
}
