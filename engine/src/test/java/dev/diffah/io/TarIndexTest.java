package dev.diffah.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.diffah.error.ContentException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarIndexTest {
  @TempDir Path dir;

  private Path tar(TarBody body) throws Exception {
    Path file = dir.resolve("t.tar");
    try (OutputStream out = Files.newOutputStream(file)) {
      TarWriter writer = new TarWriter(out);
      body.write(writer);
      writer.finish().block();
    }
    return file;
  }

  interface TarBody {
    void write(TarWriter w);
  }

  @Test
  void followsRelativeSymlinksInsideTheArchive() throws Exception {
    Path file =
        tar(
            w -> {
              w.putFile("abc.tar", "layer".getBytes(StandardCharsets.UTF_8)).block();
              w.putSymlink("id/layer.tar", "../abc.tar").block();
            });
    TarIndex index = TarIndex.open(file);
    assertThat(index.names()).containsExactly("abc.tar", "id/layer.tar");
    assertThat(index.readSmall("id/layer.tar", 100).block()).asString(StandardCharsets.UTF_8).isEqualTo("layer");
  }

  @Test
  void rejectsLinksAndNamesThatLeaveTheArchive() throws Exception {
    Path file =
        tar(
            w -> {
              w.putSymlink("abs", "/etc/passwd").block();
              w.putSymlink("up", "../../etc/passwd").block();
            });
    TarIndex index = TarIndex.open(file);
    assertThatThrownBy(() -> index.regularFile("abs")).isInstanceOf(ContentException.class).hasMessageContaining("outside the archive");
    assertThatThrownBy(() -> index.regularFile("up")).isInstanceOf(ContentException.class).hasMessageContaining("leaves the archive");
    assertThatThrownBy(() -> index.regularFile("../x")).isInstanceOf(ContentException.class);
  }

  @Test
  void anArchiveCutInsideAnEntryIsNamedTruncated() throws Exception {
    Path file =
        tar(
            w -> {
              w.putFile("first", new byte[100]).block();
              w.putFile("blob", new byte[5000]).block();
              w.putFile("index.json", "{}".getBytes(StandardCharsets.UTF_8)).block();
            });
    Path cut = dir.resolve("cut.tar");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(file), 512 + 512 + 512 + 3000));
    assertThatThrownBy(() -> TarIndex.open(cut))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("is truncated: it ends inside entry blob, 2000 bytes short");
  }

  @Test
  void anArchiveCutBetweenEntriesSaysSoWhenAnEntryIsMissing() throws Exception {
    Path file =
        tar(
            w -> {
              w.putFile("first", new byte[100]).block();
              w.putFile("index.json", "{}".getBytes(StandardCharsets.UTF_8)).block();
            });
    Path cut = dir.resolve("cut.tar");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(file), 1024)); // "first" whole, nothing after
    assertThatThrownBy(() -> TarIndex.open(cut).readSmall("index.json", 100).block())
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("has no entry index.json and ends without the tar end-of-archive records");
    assertThatThrownBy(() -> TarIndex.open(file).readSmall("other", 100).block())
        .isInstanceOf(ContentException.class)
        .hasMessageNotContaining("truncated");
  }

  @Test
  void aFileThatIsNotATarIsAContentError() throws Exception {
    Path file = Files.writeString(dir.resolve("junk"), "this is not a tar archive at all".repeat(40));
    assertThatThrownBy(() -> TarIndex.open(file)).isInstanceOf(ContentException.class).hasMessageContaining(file.toString());
  }

  @Test
  void symlinkLoopsEnd() throws Exception {
    Path file =
        tar(
            w -> {
              w.putSymlink("a", "b").block();
              w.putSymlink("b", "a").block();
            });
    assertThatThrownBy(() -> TarIndex.open(file).regularFile("a")).isInstanceOf(ContentException.class).hasMessageContaining("loop");
  }
}
