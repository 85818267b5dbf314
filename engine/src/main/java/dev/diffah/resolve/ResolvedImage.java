package dev.diffah.resolve;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageConfig;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Platform;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One image picked out of a source: its manifest, its config (bytes and parsed) and the platform it
 * was chosen for.
 *
 * @param platform the chosen platform: from the list entry, else from the config; may be null
 * @param imageName the repository:tag the source knows the image by, if any
 */
public record ResolvedImage(
    ImageManifest manifest, byte[] configBytes, ImageConfig config, Platform platform, Optional<String> imageName) {

  public Set<Digest> layerDigests() {
    return manifest.layers().stream().map(Descriptor::digest).collect(Collectors.toSet());
  }
}
