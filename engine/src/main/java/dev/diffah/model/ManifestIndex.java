package dev.diffah.model;

import java.util.List;

/** A manifest list (Docker) or image index (OCI): manifests for several platforms. */
public record ManifestIndex(RawManifest raw, List<Descriptor> manifests) {
  public ManifestIndex {
    manifests = List.copyOf(manifests);
  }
}
