package dev.diffah.plan;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which target layers travel in the delta and which the consumer takes from its baseline. Each
 * digest appears once, in manifest order. The config always ships and is not listed here.
 */
public record DeltaPlan(List<Descriptor> shipped, List<Descriptor> required) {
  public DeltaPlan {
    shipped = List.copyOf(shipped);
    required = List.copyOf(required);
  }

  public static DeltaPlan of(ImageManifest target, Set<Digest> baselineBlobs) {
    List<Descriptor> shipped = new ArrayList<>();
    List<Descriptor> required = new ArrayList<>();
    for (Descriptor layer : target.distinctLayers()) {
      (baselineBlobs.contains(layer.digest()) ? required : shipped).add(layer);
    }
    return new DeltaPlan(shipped, required);
  }

  public long shippedBytes() {
    return shipped.stream().mapToLong(Descriptor::size).sum();
  }

  public long requiredBytes() {
    return required.stream().mapToLong(Descriptor::size).sum();
  }
}
