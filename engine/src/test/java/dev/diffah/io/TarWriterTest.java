package dev.diffah.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.ContentException;
import dev.diffah.spi.FileRegion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries copied by the kernel are the entries the tar stream writes, byte for byte. */
class TarWriterTest {
  private static final String BLOB = "blobs/sha256/" + "a".repeat(64);

  @TempDir Path dir;

  @Test
  void aRegionEntryIsByteForByteTheStreamedEntry() throws Exception {
    byte[] data = new byte[700_001]; // not a multiple of 512: the padding must match too
    new Random(7).nextBytes(data);
    Path source = dir.resolve("source");
    Files.write(source, concat(new byte[333], data, new byte[99]));

    Path streamed = dir.resolve("streamed.tar");
    try (TarWriter tar = TarWriter.toFile(streamed, 4096)) {
      tar.putFile("first", text("before")).block();
      tar.putFile(BLOB, data).block();
      tar.putDirectory("after").block();
      tar.finish().block();
    }
    Path copied = dir.resolve("copied.tar");
    List<FileRegion> landed = new ArrayList<>();
    try (TarWriter tar = TarWriter.toFile(copied, 4096)) {
      tar.putFile("first", text("before")).block();
      tar.putRegion(BLOB, new FileRegion(source, 333, data.length), landed::add).block();
      tar.putDirectory("after").block();
      tar.finish().block();
    }

    assertThat(Files.readAllBytes(copied)).isEqualTo(Files.readAllBytes(streamed));
    long dataOffset;
    try (TarFile tar = new TarFile(copied)) {
      dataOffset = tar.getEntries().get(1).getDataOffset();
    }
    // the pieces handed over cover the entry's data exactly, in order
    assertThat(landed).isNotEmpty().allSatisfy(piece -> assertThat(piece.file()).isEqualTo(copied));
    assertThat(landed.get(0).offset()).isEqualTo(dataOffset);
    for (int i = 1; i < landed.size(); i++) {
      assertThat(landed.get(i).offset()).isEqualTo(landed.get(i - 1).offset() + landed.get(i - 1).length());
    }
    assertThat(landed.stream().mapToLong(FileRegion::length).sum()).isEqualTo(data.length);
    assertThat(Files.size(copied) % 512).isZero();
  }

  @Test
  void onlyFilesTakeRegionsAndOnlyForPlainHeaders() throws Exception {
    try (TarWriter file = TarWriter.toFile(dir.resolve("t.tar"), 4096);
        TarWriter stream = new TarWriter(new ByteArrayOutputStream())) {
      assertThat(file.copiesRegion(BLOB, 1)).isTrue();
      assertThat(stream.copiesRegion(BLOB, 1)).isFalse();
      assertThat(file.copiesRegion("x".repeat(100), 1)).as("name needs a PAX record").isFalse();
      assertThat(file.copiesRegion("ü.tar", 1)).as("non-ASCII name needs a PAX record").isFalse();
      assertThat(file.copiesRegion(BLOB, 9L << 30)).as("size needs a PAX record").isFalse();
    }
  }

  @Test
  void aSourceShorterThanItsRegionIsAContentError() throws Exception {
    Path source = dir.resolve("short");
    Files.write(source, new byte[100]);
    try (TarWriter tar = TarWriter.toFile(dir.resolve("t.tar"), 4096)) {
      assertThatThrownBy(() -> tar.putRegion(BLOB, new FileRegion(source, 50, 100), piece -> {}).block())
          .isInstanceOf(ContentException.class)
          .hasMessageContaining(source.toString());
    }
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
