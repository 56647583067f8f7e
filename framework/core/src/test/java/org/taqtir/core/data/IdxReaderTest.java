package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Random pixels, so a gzip file is about as long as its content and cutting it loses data. */
  private static IdxImages noise(int n) {
    byte[] px = new byte[n * 6];
    new SplittableRandom(3).nextBytes(px);
    return new IdxImages(n, 2, 3, px);
  }

  private static IllegalArgumentException readImagesFails(Path file) {
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readImages(file));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), e.getMessage());
    return e;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void roundTripRawAndGzipDetectedByContentNotName(boolean gzip) {
    // Names that lie about the compression: only the magic bytes may decide.
    Path img = dir.resolve(gzip ? "images.bin" : "images.gz");
    Path lab = dir.resolve(gzip ? "labels.bin" : "labels.gz");
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
  void writerProducesTheIdxLayout() throws IOException {
    Path raw = dir.resolve("imgs");
    IdxWriter.writeImages(raw, images(2), false);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw));
    assertEquals(16 + 12, b.capacity());
    assertEquals(0x00000803, b.getInt());
    assertEquals(2, b.getInt());
    assertEquals(2, b.getInt());
    assertEquals(3, b.getInt());
    Path gz = dir.resolve("labs");
    IdxWriter.writeLabels(gz, new int[] {7}, true);
    byte[] bytes = Files.readAllBytes(gz);
    assertEquals(0x1f, bytes[0] & 0xff);
    assertEquals(0x8b, bytes[1] & 0xff);
  }

  @Test
  void wrongMagicNamesFileAndBothNumbers() {
    Path lab = dir.resolve("train-labels-idx1-ubyte.gz");
    IdxWriter.writeLabels(lab, new int[] {1, 2}, true);
    var e = readImagesFails(lab);
    assertTrue(
        e.getMessage()
            .startsWith(
                "train-labels-idx1-ubyte.gz: not an IDX image file: magic number 0x00000801,"
                    + " expected 0x00000803"),
        e.getMessage());
    Path img = dir.resolve("imgs");
    IdxWriter.writeImages(img, images(1), false);
    var labels = assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(img));
    assertTrue(
        labels
            .getMessage()
            .startsWith(
                "imgs: not an IDX label file: magic number 0x00000803, expected 0x00000801"),
        labels.getMessage());
  }

  @Test
  void truncatedPixelsSayWhatWasExpected() throws IOException {
    Path raw = dir.resolve("imgs");
    IdxWriter.writeImages(raw, images(5), false);
    byte[] bytes = Files.readAllBytes(raw);
    Files.write(raw, Arrays.copyOf(bytes, bytes.length - 7));
    var e = readImagesFails(raw);
    assertTrue(
        e.getMessage()
            .startsWith(
                "imgs: truncated: expected 30 bytes of pixel data (5 images of 2x3), found 23"),
        e.getMessage());
    Files.write(raw, Arrays.copyOf(bytes, 6));
    var header = readImagesFails(raw);
    assertTrue(header.getMessage().contains("truncated: header ends before"), header.getMessage());
  }

  @Test
  void truncatedLabels() throws IOException {
    Path raw = dir.resolve("labs");
    IdxWriter.writeLabels(raw, new int[] {1, 2, 3, 4}, false);
    byte[] bytes = Files.readAllBytes(raw);
    Files.write(raw, Arrays.copyOf(bytes, bytes.length - 1));
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(raw));
    assertTrue(
        e.getMessage().startsWith("labs: truncated: expected 4 labels, found 3"), e.getMessage());
  }

  @Test
  void truncatedGzipReportsHowMuchPixelDataItHeld() throws IOException {
    Path gz = dir.resolve("train-images-idx3-ubyte.gz");
    IdxWriter.writeImages(gz, noise(500), true);
    byte[] bytes = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));
    var e = readImagesFails(gz);
    Matcher m =
        Pattern.compile(
                "train-images-idx3-ubyte.gz: truncated: expected 3000 bytes of pixel data"
                    + " \\(500 images of 2x3\\), found (\\d+) .*")
            .matcher(e.getMessage());
    assertTrue(m.matches(), e.getMessage());
    assertTrue(Integer.parseInt(m.group(1)) < 3000, e.getMessage());
  }

  @Test
  void gzipCutInsideItsTrailerIsReported() throws IOException {
    Path gz = dir.resolve("x.gz");
    IdxWriter.writeImages(gz, noise(50), true);
    byte[] bytes = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(bytes, bytes.length - 4));
    var e = readImagesFails(gz);
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    Path raw = dir.resolve("labels");
    IdxWriter.writeLabels(raw, new int[] {1, 2, 3}, false);
    Files.write(raw, new byte[] {9, 9}, StandardOpenOption.APPEND);
    var e = assertThrows(IllegalArgumentException.class, () -> IdxReader.readLabels(raw));
    assertTrue(e.getMessage().contains("2 unexpected trailing byte(s)"), e.getMessage());
  }

  @Test
  void trailingBytesInsideGzipAreRejected() throws IOException {
    Path raw = dir.resolve("imgs");
    IdxWriter.writeImages(raw, images(3), false);
    Files.write(raw, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    Path gz = dir.resolve("imgs.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(raw));
    }
    var e = readImagesFails(gz);
    assertTrue(e.getMessage().contains("3 unexpected trailing byte(s)"), e.getMessage());
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
    var e = readImagesFails(gz);
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  @Test
  void gzipMagicFollowedByGarbageIsOneClearLine() throws IOException {
    Path gz = dir.resolve("y.gz");
    Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 0, 0, 1, 2, 3, 4, 5, 6, 7});
    var e = readImagesFails(gz);
    assertTrue(e.getMessage().startsWith("y.gz: corrupt gzip stream ("), e.getMessage());
  }

  @Test
  void nonPositiveDimensionAndMissingFile() throws IOException {
    Path raw = dir.resolve("zero");
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(0).putInt(28).putInt(28);
    Files.write(raw, b.array());
    var e = readImagesFails(raw);
    assertTrue(e.getMessage().contains("image count must be > 0, found 0"), e.getMessage());
    b.clear();
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(1).putInt(28).putInt(-28);
    Files.write(raw, b.array());
    var cols = readImagesFails(raw);
    assertTrue(cols.getMessage().contains("columns must be > 0, found -28"), cols.getMessage());
    var missing =
        assertThrows(
            IllegalArgumentException.class, () -> IdxReader.readLabels(dir.resolve("nope")));
    assertTrue(missing.getMessage().startsWith("nope: no such file"), missing.getMessage());
  }

  @Test
  void headerClaimingMoreThanAnArrayHoldsIsRefused() throws IOException {
    Path raw = dir.resolve("huge");
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(10_000_000).putInt(1000).putInt(1000);
    Files.write(raw, b.array());
    var e = readImagesFails(raw);
    assertTrue(e.getMessage().startsWith("huge: too large: 10000000 images"), e.getMessage());
  }
}
