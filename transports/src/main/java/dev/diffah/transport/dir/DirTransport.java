package dev.diffah.transport.dir;

import dev.diffah.spi.ImageReference;
import dev.diffah.spi.Transport;

/** {@code dir:PATH}: the containers-image directory layout skopeo writes. */
public final class DirTransport implements Transport {
  @Override
  public String name() {
    return "dir";
  }

  @Override
  public ImageReference parse(String reference) {
    return DirReference.parse(this, reference);
  }
}
