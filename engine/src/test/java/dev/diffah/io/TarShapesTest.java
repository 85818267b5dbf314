package dev.diffah.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tar header shapes other tools write: long names in every encoding, and sizes over 8 GiB. */
class TarShapesTest {
  private static final String DIR_150 = "d".repeat(60) + "/" + "e".repeat(89);
  private static final String LONG_FILE = DIR_150 + "/" + "f".repeat(99) + ".tar";
  private static final String LONG_LINK = "link/" + "l".repeat(120);
  private static final long BIG = 9L * 1024 * 1024 * 1024 + 7;

  @TempDir Path dir;

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String read(TarIndex index, String name) {
    return new String(index.readSmall(name, 1 << 20).block(), StandardCharsets.UTF_8);
  }

  @Test
  void tarWriterLongNamesAndLinkTargetsAreReadBackByTarIndexAndGnuTar() throws Exception {
    Path file = dir.resolve("long.tar");
    String unicode = "ü".repeat(70) + "/layer.tar";
    try (OutputStream out = Files.newOutputStream(file);
        TarWriter tar = new TarWriter(out)) {
      tar.putFile(LONG_FILE, text("long")).block();
      tar.putFile(unicode, text("unicode")).block();
      tar.putSymlink(LONG_LINK, "../" + LONG_FILE).block();
      tar.finish().block();
    }

    TarIndex index = TarIndex.open(file);
    assertThat(index.names()).containsExactly(LONG_FILE, unicode, LONG_LINK);
    assertThat(read(index, LONG_FILE)).isEqualTo("long");
    assertThat(read(index, unicode)).isEqualTo("unicode");
    assertThat(index.regularFile(LONG_LINK)).get().extracting(TarIndex.Entry::name).isEqualTo(LONG_FILE);
    // GNU tar as an independent reader (it may escape non-ASCII names, so those are not compared)
    assertThat(run("tar", "-tf", file.toString())).contains(LONG_FILE, LONG_LINK);
  }

  @Test
  void gnuLongNameAndLongLinkEntriesAreRead() throws Exception {
    Path file = dir.resolve("gnu.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      TarArchiveEntry data = new TarArchiveEntry(LONG_FILE);
      data.setSize(3);
      tar.putArchiveEntry(data);
      tar.write(text("gnu"));
      tar.closeArchiveEntry();
      TarArchiveEntry link = new TarArchiveEntry(LONG_LINK, TarConstants.LF_SYMLINK);
      link.setLinkName("../" + LONG_FILE);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    assertThat(run("tar", "-tvf", file.toString())).contains(LONG_FILE, LONG_LINK);

    TarIndex index = TarIndex.open(file);
    assertThat(index.names()).containsExactly(LONG_FILE, LONG_LINK);
    assertThat(read(index, LONG_LINK)).isEqualTo("gnu");
  }

  /** GNU tar writes long names as ustar prefix+name, GNU @LongLink or PAX path records. */
  @ParameterizedTest
  @ValueSource(strings = {"ustar", "gnu", "pax"})
  void longNamesWrittenByGnuTarAreRead(String format) throws Exception {
    Path root = Files.createDirectories(dir.resolve("src").resolve(DIR_150));
    String name = format.equals("ustar") ? DIR_150 + "/" + "u".repeat(90) : LONG_FILE;
    Files.writeString(dir.resolve("src").resolve(name), format);
    Path file = dir.resolve(format + ".tar");
    run("tar", "--format=" + format, "-C", dir.resolve("src").toString(), "-cf", file.toString(), name);

    TarIndex index = TarIndex.open(file);
    assertThat(index.names()).containsExactly(name);
    assertThat(read(index, name)).isEqualTo(format);
    assertThat(root).isDirectory();
  }

  /**
   * An entry of 9 GiB in a sparse file: its size must come from a PAX record or a base-256 (star)
   * size field, and the next entry must be found after its data.
   */
  @ParameterizedTest
  @ValueSource(strings = {"pax", "star"})
  void entriesOver8GiBHaveTheirSizeAndOffsetsRight(String encoding) throws Exception {
    byte[] header = encoding.equals("pax") ? paxHeader("big.bin", BIG) : starHeader("big.bin", BIG);
    byte[] after = smallTar("after.txt", "after the big one");
    Path file = dir.resolve(encoding + "-big.tar");
    long afterOffset = header.length + (BIG + 511) / 512 * 512;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(header);
      raf.seek(afterOffset);
      raf.write(after);
    }
    assertThat(Files.size(file)).isGreaterThan(BIG);

    TarIndex index = TarIndex.open(file);

    assertThat(index.names()).containsExactly("big.bin", "after.txt");
    assertThat(index.regularFile("big.bin")).contains(new TarIndex.Entry("big.bin", BIG, header.length));
    assertThat(index.regularFile("after.txt")).contains(new TarIndex.Entry("after.txt", 17, afterOffset + 512));
    assertThat(read(index, "after.txt")).isEqualTo("after the big one");
  }

  /** The header records commons-compress writes for a big entry with a PAX size record. */
  private static byte[] paxHeader(String name, long size) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, 512);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    tar.putArchiveEntry(entry);
    tar.flush();
    assertThat(new String(bytes.toByteArray(), StandardCharsets.US_ASCII)).contains("size=" + size);
    return bytes.toByteArray();
  }

  /** One ustar header record with the size in base-256, as star and GNU tar write it. */
  private static byte[] starHeader(String name, long size) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    byte[] record = new byte[512];
    entry.writeEntryHeader(record, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name()), true);
    assertThat(record[124] & 0x80).as("base-256 size marker").isEqualTo(0x80);
    return record;
  }

  private static byte[] smallTar(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(content.length());
      tar.putArchiveEntry(entry);
      tar.write(text(content));
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
