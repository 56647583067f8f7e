package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir Path dir;

  private static IdxImages images(int n) {
    byte[] px = new byte[n * 6];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 37);
    }
    return new IdxImages(n, 2, 3, px);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void roundTripRawAndGzipDetectedByContentNotName(boolean gzip) {
    Path img = dir.resolve("images.bin");
    Path lab = dir.resolve("labels.bin");
    IdxWriter.writeImages(img, images(4), gzip);
    IdxWriter.writeLabels(lab, new int[] {0, 9, 255, 3}, gzip);
    IdxImages read = IdxReader.readImages(img);
    assertEquals(4, read.count());
    assertEquals(2, read.rows());
    assertEquals(3, read.cols());
    assertArrayEquals(images(4).pixels(), read.pixels());
    assertArrayEquals(new int[] {0, 9, 255, 3}, IdxReader.readLabels(lab));
  }

  @Test
  void wrongMagicNamesFileAndBothNumbers() {
    Path lab = dir.resolve("train-labels-idx1-ubyte.gz");
    IdxWriter.writeLabels(lab, new int[] {1, 2}, true);
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(lab));
    assertTrue(
        e.getMessage()
            .startsWith(
                "train-labels-idx1-ubyte.gz: not an IDX image file: magic number 0x00000801,"
                    + " expected 0x00000803"),
        e.getMessage());
  }

  @Test
  void truncatedPixelsSayWhatWasExpected() throws IOException {
    Path raw = dir.resolve("imgs");
    IdxWriter.writeImages(raw, images(5), false);
    byte[] bytes = Files.readAllBytes(raw);
    Files.write(raw, Arrays.copyOf(bytes, bytes.length - 7));
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(raw));
    assertTrue(
        e.getMessage()
            .startsWith(
                "imgs: truncated: expected 30 bytes of pixel data (5 images of 2x3), found 23"),
        e.getMessage());
    Files.write(raw, Arrays.copyOf(bytes, 6));
    var header = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(raw));
    assertTrue(header.getMessage().contains("truncated: header ends before"), header.getMessage());
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    Path raw = dir.resolve("labels");
    IdxWriter.writeLabels(raw, new int[] {1, 2, 3}, false);
    Files.write(raw, new byte[] {9, 9}, java.nio.file.StandardOpenOption.APPEND);
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(raw));
    assertTrue(e.getMessage().contains("2 unexpected trailing byte(s)"), e.getMessage());
  }

  @Test
  void corruptGzipIsOneClearLine() throws IOException {
    Path gz = dir.resolve("x.gz");
    IdxWriter.writeImages(gz, images(50), true);
    byte[] bytes = Files.readAllBytes(gz);
    for (int i = 12; i < bytes.length - 8; i++) {
      bytes[i] ^= 0x5a;
    }
    Files.write(gz, bytes);
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(gz));
    assertTrue(e.getMessage().startsWith("x.gz: "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void nonPositiveDimensionAndMissingFile() throws IOException {
    Path raw = dir.resolve("zero");
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(0).putInt(28).putInt(28);
    Files.write(raw, b.array());
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(raw));
    assertTrue(e.getMessage().contains("image count must be > 0, found 0"), e.getMessage());
    var missing =
        assertThrows(
            IllegalArgumentException.class, () -> IdxReader.readLabels(dir.resolve("nope")));
    assertTrue(missing.getMessage().startsWith("nope: no such file"), missing.getMessage());
  }
}
