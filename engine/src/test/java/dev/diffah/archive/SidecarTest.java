package dev.diffah.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.diffah.error.ContentException;
import dev.diffah.model.Digest;
import dev.diffah.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarTest {
  private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
  private static final Digest B = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));

  static Sidecar sample() {
    return new Sidecar(
        "v1",
        "diffah",
        "1.0",
        "2026-01-01T00:00:00Z",
        "linux/amd64",
        new Sidecar.Target(A, 560L, "application/vnd.oci.image.manifest.v1+json", "app:v2"),
        new Sidecar.Baseline(B, "application/vnd.oci.image.manifest.v1+json", "app:v1"),
        List.of(new Sidecar.Blob(B, 3000L, "application/vnd.oci.image.layer.v1.tar+gzip", null)),
        List.of(new Sidecar.Blob(A, 1000L, "application/vnd.oci.image.layer.v1.tar+gzip", A)));
  }

  @Test
  void roundTripsWithFieldsInSpecOrder() {
    byte[] json = sample().toJson();
    String text = new String(json, StandardCharsets.UTF_8);
    assertThat(text.indexOf("\"version\"")).isLessThan(text.indexOf("\"tool\""));
    assertThat(text.indexOf("\"required_from_baseline\"")).isLessThan(text.indexOf("\"shipped_in_delta\""));
    assertThat(Sidecar.parse(json, "test")).isEqualTo(sample());
    assertThat(sample().savedPercent()).isEqualTo(75.0);
  }

  @Test
  void rejectsAnUnknownVersion() throws Exception {
    ObjectNode node = (ObjectNode) Json.MAPPER.readTree(sample().toJson());
    node.put("version", "v9");
    assertThatThrownBy(() -> Sidecar.parse(Json.MAPPER.writeValueAsBytes(node), "d.tar"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("unknown delta format version 'v9'");
  }

  @Test
  void namesEveryMissingRequiredField() throws Exception {
    ObjectNode node = (ObjectNode) Json.MAPPER.readTree(sample().toJson());
    node.remove("platform");
    ((ObjectNode) node.get("target")).remove("manifest_digest");
    ((ObjectNode) node.get("shipped_in_delta").get(0)).remove("size");
    assertThatThrownBy(() -> Sidecar.parse(Json.MAPPER.writeValueAsBytes(node), "d.tar"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("platform")
        .hasMessageContaining("target.manifest_digest")
        .hasMessageContaining("shipped_in_delta[0].size");
  }

  @Test
  void rejectsMalformedJsonAndBadDigests() throws Exception {
    assertThatThrownBy(() -> Sidecar.parse("{not json".getBytes(StandardCharsets.UTF_8), "d.tar"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is malformed");
    ObjectNode node = (ObjectNode) Json.MAPPER.readTree(sample().toJson());
    ((ObjectNode) node.get("shipped_in_delta").get(0)).put("digest", "sha256:../../etc/passwd");
    assertThatThrownBy(() -> Sidecar.parse(Json.MAPPER.writeValueAsBytes(node), "d.tar"))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("invalid digest");
  }
}
