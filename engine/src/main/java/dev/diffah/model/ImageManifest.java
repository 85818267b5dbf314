package dev.diffah.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A single-image manifest (Docker schema 2 or OCI): a config and an ordered list of layers. */
public record ImageManifest(RawManifest raw, Descriptor config, List<Descriptor> layers) {
  public ImageManifest {
    layers = List.copyOf(layers);
  }

  /** Layers in manifest order, each digest once. */
  public List<Descriptor> distinctLayers() {
    Set<Digest> seen = new LinkedHashSet<>();
    List<Descriptor> out = new ArrayList<>();
    for (Descriptor layer : layers) {
      if (seen.add(layer.digest())) {
        out.add(layer);
      }
    }
    return out;
  }

  public long layerBytes() {
    return distinctLayers().stream().mapToLong(Descriptor::size).sum();
  }

  public Digest digest() {
    return raw.digest();
  }
}
