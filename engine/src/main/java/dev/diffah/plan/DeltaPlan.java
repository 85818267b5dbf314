package dev.diffah.plan;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which target layers travel in the delta and which the consumer takes from its baseline. Each
 * digest appears once, in manifest order. The config always ships and is not listed here.
 *
 * <p>A target layer is required from the baseline when the baseline has the same blob, or the same
 * content in another compression (the same DiffID, e.g. a {@code docker save} archive holding
 * uncompressed what a registry serves gzipped).
 */
public record DeltaPlan(List<PlannedLayer> shipped, List<PlannedLayer> required) {
  public DeltaPlan {
    shipped = List.copyOf(shipped);
    required = List.copyOf(required);
  }

  /**
   * One target layer.
   *
   * @param diffId the layer's DiffID from the target config; null when the config lacks it
   * @param baselineBlob for a required layer, the baseline blob that holds it (the layer itself, or
   *     its content in another compression); null for a shipped layer
   */
  public record PlannedLayer(Descriptor layer, Digest diffId, Descriptor baselineBlob) {
    public boolean matchedByDiffId() {
      return baselineBlob != null && !baselineBlob.digest().equals(layer.digest());
    }
  }

  /** The baseline's layers, by digest and (where its config is known) by DiffID. */
  public record BaselineLayers(Map<Digest, Descriptor> byDigest, Map<Digest, Descriptor> byDiffId) {
    public static BaselineLayers of(List<Descriptor> layers, List<Digest> diffIds) {
      Map<Digest, Descriptor> byDigest = new HashMap<>();
      Map<Digest, Descriptor> byDiffId = new HashMap<>();
      for (int i = 0; i < layers.size(); i++) {
        byDigest.putIfAbsent(layers.get(i).digest(), layers.get(i));
        if (i < diffIds.size()) {
          byDiffId.putIfAbsent(diffIds.get(i), layers.get(i));
        }
      }
      return new BaselineLayers(byDigest, byDiffId);
    }

    /** The baseline blob holding a layer of this digest or DiffID, or null. */
    public Descriptor find(Descriptor layer, Digest diffId) {
      Descriptor same = byDigest.get(layer.digest());
      if (same != null || diffId == null) {
        return same;
      }
      Descriptor sameContent = byDiffId.get(diffId);
      // an uncompressed baseline layer is named by its DiffID even where no config tells us so
      return sameContent != null ? sameContent : byDigest.get(diffId);
    }
  }

  public static DeltaPlan of(ImageManifest target, List<Digest> targetDiffIds, BaselineLayers baseline) {
    List<PlannedLayer> shipped = new ArrayList<>();
    List<PlannedLayer> required = new ArrayList<>();
    List<Digest> seen = new ArrayList<>();
    for (int i = 0; i < target.layers().size(); i++) {
      Descriptor layer = target.layers().get(i);
      if (seen.contains(layer.digest())) {
        continue;
      }
      seen.add(layer.digest());
      Digest diffId = i < targetDiffIds.size() ? targetDiffIds.get(i) : null;
      Descriptor inBaseline = baseline.find(layer, diffId);
      if (inBaseline == null) {
        shipped.add(new PlannedLayer(layer, diffId, null));
      } else {
        required.add(new PlannedLayer(layer, diffId, inBaseline));
      }
    }
    return new DeltaPlan(shipped, required);
  }

  /** The layers the delta carries, in manifest order. */
  public List<Descriptor> shippedLayers() {
    return shipped.stream().map(PlannedLayer::layer).toList();
  }

  public long shippedBytes() {
    return shipped.stream().mapToLong(p -> p.layer().size()).sum();
  }

  public long requiredBytes() {
    return required.stream().mapToLong(p -> p.layer().size()).sum();
  }
}
