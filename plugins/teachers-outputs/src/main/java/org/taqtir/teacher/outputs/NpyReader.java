package org.taqtir.teacher.outputs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a NumPy {@code .npy} file holding a 2-D float32 or float64 array in C order, as written by
 * {@code numpy.save(path, logits)}.
 *
 * <p>Format (NumPy's {@code numpy.lib.format}, versions 1.0, 2.0 and 3.0): the magic bytes {@code
 * \x93NUMPY}, major and minor version bytes, the header length (2 bytes little-endian in 1.0, 4 in
 * 2.0/3.0), a header that is a Python dict literal with keys {@code descr}, {@code fortran_order}
 * and {@code shape}, then the raw values. Accepted: {@code descr} {@code '<f4'} or {@code '<f8'}
 * (little-endian float32/float64), {@code fortran_order: False}, a 2-D shape. Anything else is
 * refused with one line naming the file, the field, the value found and what is allowed.
 */
public final class NpyReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(\\w+)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyReader() {}

  /**
   * A 2-D array read from a file.
   *
   * @param rows first dimension
   * @param cols second dimension
   * @param values row-major {@code rows × cols} values, converted to float
   */
  public record Matrix(int rows, int cols, float[] values) {}

  /**
   * Reads a 2-D float array.
   *
   * @param file the {@code .npy} file
   * @return the array
   * @throws IllegalArgumentException when the file is missing, not an {@code .npy} file, or holds
   *     something other than a little-endian float32/float64 C-order 2-D array
   */
  public static Matrix read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), bytes);
  }

  static Matrix parse(String name, byte[] bytes) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes.length <= i || bytes[i] != MAGIC[i]) {
        throw new IllegalArgumentException(
            name + ": not a NumPy .npy file (the magic \\x93NUMPY is missing)");
      }
    }
    if (bytes.length < 10) {
      throw new IllegalArgumentException(name + ": truncated .npy header");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = buf.getShort(8) & 0xffff;
      start = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new IllegalArgumentException(name + ": truncated .npy header");
      }
      headerLen = buf.getInt(8);
      start = 12;
    } else {
      throw new IllegalArgumentException(
          name + ": .npy format version " + major + " is not supported; allowed: 1, 2, 3");
    }
    if (headerLen < 0 || start + headerLen > bytes.length) {
      throw new IllegalArgumentException(name + ": truncated .npy header");
    }
    String header =
        new String(
            bytes,
            start,
            headerLen,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, name, "descr");
    int itemSize;
    if (descr.equals("<f4")) {
      itemSize = 4;
    } else if (descr.equals("<f8")) {
      itemSize = 8;
    } else {
      throw new IllegalArgumentException(
          name
              + ": dtype '"
              + descr
              + "' is not supported; allowed: little-endian float32 ('<f4') or float64 ('<f8')"
              + " (numpy: a.astype('<f4'))");
    }
    String fortran = group(FORTRAN, header, name, "fortran_order");
    if (!fortran.equals("False")) {
      throw new IllegalArgumentException(
          name
              + ": fortran_order is "
              + fortran
              + "; allowed: False (C order; numpy: np.ascontiguousarray(a))");
    }
    String[] dims = group(SHAPE, header, name, "shape").split(",");
    long[] shape = new long[dims.length];
    int rank = 0;
    for (String d : dims) {
      if (!d.isBlank()) {
        shape[rank++] = Long.parseLong(d.trim().replace("L", ""));
      }
    }
    if (rank != 2) {
      throw new IllegalArgumentException(
          name
              + ": shape has "
              + rank
              + " dimensions ("
              + group(SHAPE, header, name, "shape")
              + "); allowed: 2 (samples, classes)");
    }
    long count = shape[0] * shape[1];
    long expected = (long) start + headerLen + count * itemSize;
    if (count > Integer.MAX_VALUE || bytes.length != expected) {
      throw new IllegalArgumentException(
          name
              + ": shape ("
              + shape[0]
              + ", "
              + shape[1]
              + ") needs "
              + (expected - start - headerLen)
              + " bytes of data, found "
              + (bytes.length - start - headerLen));
    }
    float[] values = new float[(int) count];
    int off = start + headerLen;
    if (itemSize == 4) {
      buf.position(off);
      buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    } else {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) buf.getDouble(off + 8 * i);
      }
    }
    return new Matrix((int) shape[0], (int) shape[1], values);
  }

  private static String group(Pattern p, String header, String name, String key) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException(
          name + ": .npy header has no '" + key + "' entry: " + header.trim());
    }
    return m.group(1);
  }
}
