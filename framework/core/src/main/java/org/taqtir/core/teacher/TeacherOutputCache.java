package org.taqtir.core.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.core.data.Dataset;

/**
 * Teacher outputs (logits and requested taps) for every sample of a dataset, computed once and kept
 * on disk. The key is SHA-256 over the teacher fingerprint, the dataset's content hash and the tap
 * names, so a new teacher, different data or other taps never reuse a stale file. A file whose
 * header, size or CRC does not match is recomputed.
 *
 * <p>Each tap keeps its per-sample shape (e.g. {@code (32, 7, 7)} for a convolutional block), so a
 * strategy sees the same tap shapes, and can size its adapters, whether the teacher's outputs come
 * from this cache or from the live teacher.
 *
 * <p>File layout (version 2, big-endian as written by {@code DataOutputStream} except the values):
 * magic {@code TQTC}, version int, key (UTF), N int, block count int, then per block: name (UTF),
 * rank int, rank × dimension int (the per-sample shape), CRC32 long, N×width float32 little-endian
 * where width is the product of the dimensions. Version-1 files (no shapes) are recomputed.
 */
public final class TeacherOutputCache {

  /** Pseudo tap name under which logits are stored. */
  public static final String LOGITS = "logits";

  private static final int MAGIC = 0x54515443;
  private static final int VERSION = 2;
  private static final int CHUNK = 1000;

  private final Path dir;

  /**
   * Creates a cache in a directory (created on first write).
   *
   * @param dir the cache directory
   */
  public TeacherOutputCache(Path dir) {
    this.dir = dir;
  }

  /**
   * Outcome of a lookup.
   *
   * @param outputs tap name ({@link #LOGITS} included) to row-major {@code (N, width)} values
   * @param file the cache file
   * @param hit whether the file was reused rather than computed
   * @param seconds time spent computing or reading
   * @param shapes tap name ({@link #LOGITS} included) to its per-sample shape, whose size is width
   */
  public record Entry(
      Map<String, float[]> outputs,
      Path file,
      boolean hit,
      double seconds,
      Map<String, Shape> shapes) {

    /** Copies the shape map. */
    public Entry {
      shapes = Map.copyOf(shapes);
    }

    /**
     * Returns the logits.
     *
     * @return row-major {@code (N, classes)}
     */
    public float[] logits() {
      return outputs.get(LOGITS);
    }
  }

  /**
   * Returns the teacher's outputs on a dataset, from disk when a valid entry exists.
   *
   * @param teacher the frozen teacher
   * @param data the dataset; its content hash is part of the key
   * @param taps the features to store besides the logits
   * @param manager a manager for the computation (chunk sub-managers are freed as they finish)
   * @return the outputs
   */
  public Entry get(Teacher teacher, Dataset data, Set<String> taps, NDManager manager) {
    long start = System.nanoTime();
    String key = key(teacher.fingerprint(), data.contentHash(), taps);
    Path file = dir.resolve(key.substring(0, 32) + ".tqtc");
    Map<String, Shape> shapes = new LinkedHashMap<>();
    Map<String, float[]> read = read(file, key, data.size(), shapes);
    if (read != null && read.keySet().containsAll(taps)) {
      return new Entry(read, file, true, (System.nanoTime() - start) / 1e9, shapes);
    }
    shapes.clear();
    Map<String, float[]> computed = compute(teacher, data, taps, manager, shapes);
    write(file, key, data.size(), computed, shapes);
    return new Entry(computed, file, false, (System.nanoTime() - start) / 1e9, shapes);
  }

  /**
   * Runs a teacher over a dataset in chunks, freeing each chunk's activations before the next.
   *
   * @param teacher the teacher
   * @param data the samples
   * @param taps features to collect besides the logits
   * @param manager parent of the per-chunk managers
   * @return tap name ({@link #LOGITS} included) to row-major values
   */
  public static Map<String, float[]> compute(
      Teacher teacher, Dataset data, Set<String> taps, NDManager manager) {
    return compute(teacher, data, taps, manager, new LinkedHashMap<>());
  }

  /**
   * Runs a teacher over a dataset in chunks and records each output's per-sample shape.
   *
   * @param teacher the teacher
   * @param data the samples
   * @param taps features to collect besides the logits
   * @param manager parent of the per-chunk managers
   * @param shapes receives tap name ({@link #LOGITS} included) to per-sample shape
   * @return tap name ({@link #LOGITS} included) to row-major values
   */
  public static Map<String, float[]> compute(
      Teacher teacher,
      Dataset data,
      Set<String> taps,
      NDManager manager,
      Map<String, Shape> shapes) {
    int n = data.size();
    long[] dims = new long[data.sampleShape().length + 1];
    for (int i = 0; i < data.sampleShape().length; i++) {
      dims[i + 1] = data.sampleShape()[i];
    }
    Map<String, List<float[]>> parts = new LinkedHashMap<>();
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      try (NDManager m = manager.newSubManager()) {
        dims[0] = to - from;
        NDArray x = m.create(data.rows(from, to), new Shape(dims));
        StepOutputs o = teacher.forward(x, data.refs(from, to), taps);
        parts.computeIfAbsent(LOGITS, k -> new ArrayList<>()).add(o.logits().toFloatArray());
        shapes.putIfAbsent(LOGITS, o.logits().getShape().slice(1));
        for (String tap : new TreeSet<>(taps)) {
          NDArray f = o.feature(tap);
          shapes.putIfAbsent(tap, f.getShape().slice(1));
          parts
              .computeIfAbsent(tap, k -> new ArrayList<>())
              .add(f.reshape(to - from, -1).toFloatArray());
        }
      }
    }
    for (var e : parts.entrySet()) {
      int total = e.getValue().stream().mapToInt(a -> a.length).sum();
      float[] all = new float[total];
      int off = 0;
      for (float[] a : e.getValue()) {
        System.arraycopy(a, 0, all, off, a.length);
        off += a.length;
      }
      out.put(e.getKey(), all);
    }
    return out;
  }

  static String key(String fingerprint, String dataHash, Set<String> taps) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          ("teacher=" + fingerprint + "\ndata=" + dataHash + "\ntaps=" + new TreeSet<>(taps))
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, float[]> read(
      Path file, String key, int n, Map<String, Shape> shapes) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION || !key.equals(in.readUTF())) {
        return null;
      }
      if (in.readInt() != n) {
        return null;
      }
      int blocks = in.readInt();
      Map<String, float[]> out = new LinkedHashMap<>();
      for (int b = 0; b < blocks; b++) {
        String name = in.readUTF();
        int rank = in.readInt();
        if (rank < 0 || rank > 8) {
          return null;
        }
        long[] dims = new long[rank];
        int width = 1;
        for (int d = 0; d < rank; d++) {
          dims[d] = in.readInt();
          width = Math.multiplyExact(width, (int) dims[d]);
        }
        long crc = in.readLong();
        byte[] bytes = in.readNBytes(Math.multiplyExact(n, width) * Float.BYTES);
        if (bytes.length != n * width * Float.BYTES || crc(bytes) != crc) {
          return null;
        }
        float[] values = new float[n * width];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        out.put(name, values);
        shapes.put(name, new Shape(dims));
      }
      return in.read() == -1 ? out : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void write(
      Path file, String key, int n, Map<String, float[]> outputs, Map<String, Shape> shapes) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "tmp-", ".tqtc");
      try (DataOutputStream out =
          new DataOutputStream(
              new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(key);
        out.writeInt(n);
        out.writeInt(outputs.size());
        for (var e : outputs.entrySet()) {
          float[] v = e.getValue();
          ByteBuffer buf =
              ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          buf.asFloatBuffer().put(v);
          byte[] bytes = buf.array();
          Shape shape = shapes.getOrDefault(e.getKey(), new Shape(v.length / n));
          out.writeUTF(e.getKey());
          out.writeInt(shape.dimension());
          for (long d : shape.getShape()) {
            out.writeInt((int) d);
          }
          out.writeLong(crc(bytes));
          out.write(bytes);
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write teacher cache " + file + ": " + e, e);
    }
  }

  private static long crc(byte[] bytes) {
    CRC32 c = new CRC32();
    c.update(bytes);
    return c.getValue();
  }
}
