package dev.diffah.transport.oci;

import dev.diffah.spi.ImageReference;
import dev.diffah.spi.Transport;

/** {@code oci-archive:PATH[:REF]}: a tar of an OCI image layout, read in place. */
public final class OciArchiveTransport implements Transport {
  @Override
  public String name() {
    return "oci-archive";
  }

  @Override
  public ImageReference parse(String reference) {
    return OciLayoutReference.parse(this, LayoutStorage.ARCHIVE, reference);
  }
}
