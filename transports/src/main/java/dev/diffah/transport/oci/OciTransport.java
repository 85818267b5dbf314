package dev.diffah.transport.oci;

import dev.diffah.spi.ImageReference;
import dev.diffah.spi.Transport;

/** {@code oci:DIR[:REF]}: an OCI image layout directory. */
public final class OciTransport implements Transport {
  @Override
  public String name() {
    return "oci";
  }

  @Override
  public ImageReference parse(String reference) {
    return OciLayoutReference.parse(this, LayoutStorage.DIRECTORY, reference);
  }
}
