package dev.diffah.transport.registry;

import dev.diffah.model.Descriptor;
import dev.diffah.model.Digest;
import dev.diffah.model.ImageManifest;
import dev.diffah.model.Manifests;
import dev.diffah.model.RawManifest;
import dev.diffah.spi.ImageSource;
import dev.diffah.testkit.Fixtures;
import dev.diffah.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image read whole from a fixture archive, for serving from a WireMock registry. */
record FakeImage(RawManifest manifest, Map<Digest, byte[]> blobs) {

  static FakeImage load(String fixture) {
    try (ImageSource src = Transports.parse("oci-archive:" + Fixtures.fixture(fixture)).openSource().block(Duration.ofSeconds(30))) {
      RawManifest raw = src.manifest().block(Duration.ofSeconds(30));
      ImageManifest image = Manifests.image(raw, fixture);
      List<Descriptor> all = new ArrayList<>(image.layers());
      all.add(0, image.config());
      Map<Digest, byte[]> blobs = new LinkedHashMap<>();
      for (Descriptor d : all) {
        blobs.put(d.digest(), bytes(src, d));
      }
      return new FakeImage(raw, blobs);
    }
  }

  Descriptor config() {
    return Manifests.image(manifest, "fake").config();
  }

  List<Descriptor> layers() {
    return Manifests.image(manifest, "fake").layers();
  }

  private static byte[] bytes(ImageSource src, Descriptor d) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    src.blob(d).doOnNext(b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining())).blockLast(Duration.ofSeconds(30));
    return out.toByteArray();
  }
}
