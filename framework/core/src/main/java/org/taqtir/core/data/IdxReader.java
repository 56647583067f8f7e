package org.taqtir.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (LeCun's MNIST format), raw or gzip-compressed (detected by the gzip magic bytes,
 * not the file name). Every problem is reported in one line naming the file and what was expected.
 */
public final class IdxReader {

  /** Magic number of unsigned-byte, 3-dimensional IDX data (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of unsigned-byte, 1-dimensional IDX data (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * Reads an image file.
   *
   * @param file the IDX file ({@code .gz} or raw)
   * @return the images
   * @throws IllegalArgumentException when the file is missing, not an image IDX file, truncated or
   *     has trailing bytes
   */
  public static IdxImages readImages(Path file) {
    try (DataInputStream in = open(file)) {
      int magic = header(in, file);
      if (magic != IMAGES_MAGIC) {
        throw bad(
            file,
            String.format(
                "not an IDX image file: magic number 0x%08x, expected 0x%08x",
                magic, IMAGES_MAGIC));
      }
      int count = dim(in, file, "image count");
      int rows = dim(in, file, "rows");
      int cols = dim(in, file, "columns");
      long expected = (long) count * rows * cols;
      if (expected > Integer.MAX_VALUE - 16) {
        throw bad(
            file,
            String.format(
                "too large: %d images of %dx%d are %d bytes, more than one Java array holds",
                count, rows, cols, expected));
      }
      byte[] pixels = readUpTo(in, (int) expected);
      if (pixels.length != expected) {
        throw bad(
            file,
            String.format(
                "truncated: expected %d bytes of pixel data (%d images of %dx%d), found %d",
                expected, count, rows, cols, pixels.length));
      }
      checkEnd(in, file);
      return new IdxImages(count, rows, cols, pixels);
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  /**
   * Reads a label file.
   *
   * @param file the IDX file ({@code .gz} or raw)
   * @return one label per sample, each in 0..255
   * @throws IllegalArgumentException when the file is missing, not a label IDX file, truncated or
   *     has trailing bytes
   */
  public static int[] readLabels(Path file) {
    try (DataInputStream in = open(file)) {
      int magic = header(in, file);
      if (magic != LABELS_MAGIC) {
        throw bad(
            file,
            String.format(
                "not an IDX label file: magic number 0x%08x, expected 0x%08x",
                magic, LABELS_MAGIC));
      }
      int count = dim(in, file, "label count");
      byte[] bytes = readUpTo(in, count);
      if (bytes.length != count) {
        throw bad(
            file, String.format("truncated: expected %d labels, found %d", count, bytes.length));
      }
      checkEnd(in, file);
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = bytes[i] & 0xff;
      }
      return labels;
    } catch (IOException e) {
      throw io(file, e);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw bad(file, "no such file");
    }
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
      }
      return new DataInputStream(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * Reads {@code len} bytes, or fewer when the data ends early (including a gzip stream that ends
   * mid-block), so the caller can report how many it found. A header claiming more than 64 MiB gets
   * the rest of its buffer only as the data arrives.
   */
  private static byte[] readUpTo(InputStream in, int len) throws IOException {
    byte[] buf = new byte[Math.min(len, 64 << 20)];
    int off = 0;
    try {
      while (off < len) {
        if (off == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(len, 2L * buf.length));
        }
        int n = in.read(buf, off, buf.length - off);
        if (n < 0) {
          break;
        }
        off += n;
      }
    } catch (EOFException e) {
      // GZIPInputStream's way of saying the compressed stream is cut short.
    }
    return off == buf.length ? buf : Arrays.copyOf(buf, off);
  }

  private static int header(DataInputStream in, Path file) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw bad(file, "truncated: shorter than the 4-byte IDX magic number");
    }
  }

  private static int dim(DataInputStream in, Path file, String what) throws IOException {
    int d;
    try {
      d = in.readInt();
    } catch (EOFException e) {
      throw bad(file, "truncated: header ends before the " + what);
    }
    if (d <= 0) {
      throw bad(file, what + " must be > 0, found " + d);
    }
    return d;
  }

  private static void checkEnd(DataInputStream in, Path file) throws IOException {
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw bad(file, extra + " unexpected trailing byte(s) after the declared data");
    }
  }

  private static IllegalArgumentException io(Path file, IOException e) {
    // Short headers and data are reported where they are read; an EOFException that gets here
    // comes from the inflater, e.g. a gzip file cut between the data and its trailer.
    if (e instanceof EOFException) {
      return bad(file, "truncated gzip stream (" + e.getMessage() + ")");
    }
    if (e instanceof ZipException) {
      return bad(file, "corrupt gzip stream (" + e.getMessage() + ")");
    }
    return bad(file, "cannot read: " + e);
  }

  private static IllegalArgumentException bad(Path file, String message) {
    return new IllegalArgumentException(file.getFileName() + ": " + message + " (" + file + ")");
  }
}
