package org.taqtir.core.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.api.TopK;
import org.taqtir.core.data.Samples;

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
 * where width is the product of the dimensions. Version 3 (written only when some block is kept at
 * half precision, {@code teacher.top_k_dtype: float16}) adds an int after each block's name: 0 for
 * float32 values, 1 for float16 (N×width × 2 bytes, little-endian, expanded to float32 when read).
 * Version-1 files (no shapes) are recomputed.
 *
 * <p>Outputs are held in direct little-endian buffers, read from the file or filled chunk by chunk
 * as they are computed: a 1,200-wide tap of 55,000 samples is 264 MB, and a JVM array of it (plus
 * the byte array it was decoded from) would stay in the process's heap for the rest of the study.
 * The trainer uses a direct buffer in place as the resident native array of every run, without a
 * copy.
 */
public final class TeacherOutputCache {

  /** Pseudo tap name under which logits are stored. */
  public static final String LOGITS = "logits";

  private static final int MAGIC = 0x54515443;
  private static final int VERSION = 2;
  private static final int VERSION_HALF = 3;

  /** Rows per teacher forward pass when outputs are computed. */
  public static final int CHUNK = 1000;

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
   * @param outputs tap name ({@link #LOGITS} included) to row-major {@code (N, width)} float32
   *     values in a direct little-endian buffer ({@link #floats} copies one into an array)
   * @param file the cache file
   * @param hit whether the file was reused rather than computed
   * @param seconds time spent computing or reading
   * @param shapes tap name ({@link #LOGITS} included) to its per-sample shape, whose size is width
   */
  public record Entry(
      Map<String, ByteBuffer> outputs,
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
     * @return row-major {@code (N, classes)}, a copy; empty for a top-k teacher, whose cache holds
     *     only its {@link TopKTeacher#TAPS}
     */
    public float[] logits() {
      ByteBuffer logits = outputs.get(LOGITS);
      return logits == null ? new float[0] : floats(logits);
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
  public Entry get(Teacher teacher, Samples data, Set<String> taps, NDManager manager) {
    return get(teacher, data, taps, Set.of(), manager);
  }

  /**
   * Returns the teacher's outputs on a dataset, some taps stored at half precision.
   *
   * @param teacher the frozen teacher, whose {@code half} taps hold float16 values already
   * @param data the dataset; its content hash is part of the key
   * @param taps the features to store besides the logits
   * @param half the taps written in 2 bytes per value (part of the key)
   * @param manager a manager for the computation
   * @return the outputs, float32 in memory
   */
  public Entry get(
      Teacher teacher, Samples data, Set<String> taps, Set<String> half, NDManager manager) {
    long start = System.nanoTime();
    String key = key(teacher.fingerprint(), data.contentHash(), taps, half);
    Path file = file(key);
    Map<String, Shape> shapes = new LinkedHashMap<>();
    Map<String, ByteBuffer> read = read(file, key, data.size(), shapes);
    if (read != null && read.keySet().containsAll(taps)) {
      return new Entry(read, file, true, (System.nanoTime() - start) / 1e9, shapes);
    }
    shapes.clear();
    Map<String, ByteBuffer> computed = compute(teacher, data, taps, manager, shapes);
    write(file, key, data.size(), computed, shapes, half);
    return new Entry(computed, file, false, (System.nanoTime() - start) / 1e9, shapes);
  }

  /**
   * Runs a teacher over a dataset in chunks, freeing each chunk's activations before the next.
   *
   * @param teacher the teacher
   * @param data the samples
   * @param taps features to collect besides the logits
   * @param manager parent of the per-chunk managers
   * @return tap name ({@link #LOGITS} included) to row-major values, direct little-endian
   */
  public static Map<String, ByteBuffer> compute(
      Teacher teacher, Samples data, Set<String> taps, NDManager manager) {
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
   * @return tap name ({@link #LOGITS} included) to row-major values, direct little-endian; each
   *     chunk is copied in as it finishes, so no second copy of the whole outputs exists
   */
  public static Map<String, ByteBuffer> compute(
      Teacher teacher,
      Samples data,
      Set<String> taps,
      NDManager manager,
      Map<String, Shape> shapes) {
    int n = data.size();
    Map<String, ByteBuffer> out = new LinkedHashMap<>();
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      for (var e : computeChunk(teacher, data, from, to, taps, manager, shapes).entrySet()) {
        int width = e.getValue().length / (to - from);
        out.computeIfAbsent(e.getKey(), name -> allocate(name, n, width))
            .asFloatBuffer()
            .put(from * width, e.getValue());
      }
    }
    return out;
  }

  private static ByteBuffer allocate(String name, int n, int width) {
    long bytes = (long) n * width * Float.BYTES;
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "teacher outputs '"
              + name
              + "': "
              + n
              + " samples x "
              + width
              + " values is "
              + bytes
              + " bytes; at most "
              + Integer.MAX_VALUE
              + " can be cached: use a smaller tap or fewer samples");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Copies float32 values out of a buffer.
   *
   * @param values little-endian float32 values (position and limit are ignored)
   * @return all {@code capacity / 4} values
   */
  public static float[] floats(ByteBuffer values) {
    float[] out = new float[values.capacity() / Float.BYTES];
    values.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /**
   * Copies float32 values into a direct little-endian buffer, the form {@link Entry#outputs()}
   * holds.
   *
   * @param values the values
   * @return a new direct buffer
   */
  public static ByteBuffer direct(float[] values) {
    ByteBuffer out = allocate("values", 1, values.length);
    out.asFloatBuffer().put(values);
    return out;
  }

  /**
   * Runs a teacher over rows {@code [from, to)} of a dataset as one forward pass, exactly as {@link
   * #compute} does for each of its chunks: a distributed job that splits the rows at multiples of
   * {@link #CHUNK} and {@link #concat}s the parts in order gets the same floats, bit for bit.
   *
   * @param teacher the teacher
   * @param data the samples
   * @param from first row, inclusive
   * @param to last row, exclusive
   * @param taps features to collect besides the logits
   * @param manager parent of the chunk's manager (freed before this returns)
   * @param shapes receives tap name ({@link #LOGITS} included) to per-sample shape
   * @return tap name ({@link #LOGITS} first, then taps sorted) to row-major values of the rows
   */
  public static Map<String, float[]> computeChunk(
      Teacher teacher,
      Samples data,
      int from,
      int to,
      Set<String> taps,
      NDManager manager,
      Map<String, Shape> shapes) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager m = manager.newSubManager()) {
      NDArray x = data.inputs(m, from, to);
      StepOutputs o = teacher.forward(x, data.refs(from, to), taps);
      if (!taps.contains(TopK.IDS)) {
        // a top-k teacher's logits are a reconstruction from its top-k taps: not stored
        out.put(LOGITS, o.logits().toFloatArray());
        shapes.putIfAbsent(LOGITS, o.logits().getShape().slice(1));
      }
      for (String tap : new TreeSet<>(taps)) {
        NDArray f = o.feature(tap);
        shapes.putIfAbsent(tap, f.getShape().slice(1));
        out.put(tap, f.reshape(to - from, -1).toFloatArray());
      }
    }
    return out;
  }

  /**
   * Joins the outputs of consecutive row ranges ({@link #computeChunk}) into one set of outputs.
   *
   * @param parts the ranges' outputs, in row order, each with the same names
   * @return tap name to the parts' values concatenated
   */
  public static Map<String, float[]> concat(List<Map<String, float[]>> parts) {
    Map<String, float[]> out = new LinkedHashMap<>();
    if (parts.isEmpty()) {
      return out;
    }
    for (String name : parts.get(0).keySet()) {
      int total = parts.stream().mapToInt(p -> p.get(name).length).sum();
      float[] all = new float[total];
      int off = 0;
      for (Map<String, float[]> p : parts) {
        float[] a = p.get(name);
        System.arraycopy(a, 0, all, off, a.length);
        off += a.length;
      }
      out.put(name, all);
    }
    return out;
  }

  /**
   * Returns the valid entry for a teacher fingerprint, dataset and taps without computing anything.
   *
   * @param fingerprint {@link Teacher#fingerprint()}
   * @param data the dataset
   * @param taps the features stored besides the logits
   * @return the entry ({@link Entry#hit()} true), or {@code null} when none is on disk or it is
   *     invalid or lacks a tap
   */
  public Entry find(String fingerprint, Samples data, Set<String> taps) {
    long start = System.nanoTime();
    String key = key(fingerprint, data.contentHash(), taps);
    Path file = file(key);
    Map<String, Shape> shapes = new LinkedHashMap<>();
    Map<String, ByteBuffer> read = read(file, key, data.size(), shapes);
    if (read == null || !read.keySet().containsAll(taps)) {
      return null;
    }
    return new Entry(read, file, true, (System.nanoTime() - start) / 1e9, shapes);
  }

  /**
   * Stores outputs computed elsewhere (e.g. by a distributed job) under the same key {@link #get}
   * looks up, so a later {@link #get} with that teacher, data and taps reads them.
   *
   * @param fingerprint {@link Teacher#fingerprint()}
   * @param data the dataset the outputs are for, in row order
   * @param taps the features stored besides the logits
   * @param outputs tap name ({@link #LOGITS} first) to row-major {@code (N, width)} values
   * @param shapes tap name to per-sample shape
   * @return the file written
   */
  public Path put(
      String fingerprint,
      Samples data,
      Set<String> taps,
      Map<String, float[]> outputs,
      Map<String, Shape> shapes) {
    String key = key(fingerprint, data.contentHash(), taps);
    Path file = file(key);
    Map<String, ByteBuffer> values = new LinkedHashMap<>();
    outputs.forEach((name, v) -> values.put(name, direct(v)));
    write(file, key, data.size(), values, shapes);
    return file;
  }

  private Path file(String key) {
    return dir.resolve(key.substring(0, 32) + ".tqtc");
  }

  static String key(String fingerprint, String dataHash, Set<String> taps) {
    return key(fingerprint, dataHash, taps, Set.of());
  }

  static String key(String fingerprint, String dataHash, Set<String> taps, Set<String> half) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          ("teacher="
                  + fingerprint
                  + "\ndata="
                  + dataHash
                  + "\ntaps="
                  + new TreeSet<>(taps)
                  + (half.isEmpty() ? "" : "\nfloat16=" + new TreeSet<>(half)))
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, ByteBuffer> read(
      Path file, String key, int n, Map<String, Shape> shapes) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    // Headers through an unbuffered stream over the channel, so that the channel's position stays
    // where the values start; the values go straight from the file into direct buffers.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
      if (in.readInt() != MAGIC) {
        return null;
      }
      int version = in.readInt();
      if (version != VERSION && version != VERSION_HALF || !key.equals(in.readUTF())) {
        return null;
      }
      if (in.readInt() != n) {
        return null;
      }
      int blocks = in.readInt();
      Map<String, ByteBuffer> out = new LinkedHashMap<>();
      for (int b = 0; b < blocks; b++) {
        String name = in.readUTF();
        boolean halfBlock = version == VERSION_HALF && in.readInt() == 1;
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
        int size = halfBlock ? Short.BYTES : Float.BYTES;
        if ((long) n * width * size > ch.size() - ch.position()) {
          return null;
        }
        ByteBuffer stored =
            halfBlock
                ? ByteBuffer.allocate(n * width * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                : allocate(name, n, width);
        while (stored.hasRemaining() && ch.read(stored) >= 0) {
          // read until full or end of file
        }
        if (stored.hasRemaining() || crc(stored.clear()) != crc) {
          return null;
        }
        ByteBuffer values = stored;
        if (halfBlock) {
          values = allocate(name, n, width);
          java.nio.ShortBuffer bits = stored.clear().asShortBuffer();
          java.nio.FloatBuffer floats = values.asFloatBuffer();
          while (bits.hasRemaining()) {
            floats.put(Float16.fromBits(bits.get()));
          }
        }
        out.put(name, values);
        shapes.put(name, new Shape(dims));
      }
      return ch.position() == ch.size() ? out : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void write(
      Path file, String key, int n, Map<String, ByteBuffer> outputs, Map<String, Shape> shapes) {
    write(file, key, n, outputs, shapes, Set.of());
  }

  private void write(
      Path file,
      String key,
      int n,
      Map<String, ByteBuffer> outputs,
      Map<String, Shape> shapes,
      Set<String> half) {
    boolean anyHalf = outputs.keySet().stream().anyMatch(half::contains);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "tmp-", ".tqtc");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(header);
        out.writeInt(MAGIC);
        out.writeInt(anyHalf ? VERSION_HALF : VERSION);
        out.writeUTF(key);
        out.writeInt(n);
        out.writeInt(outputs.size());
        for (var e : outputs.entrySet()) {
          ByteBuffer v = e.getValue().duplicate().clear();
          Shape shape = shapes.getOrDefault(e.getKey(), new Shape(v.capacity() / Float.BYTES / n));
          out.writeUTF(e.getKey());
          boolean halfBlock = half.contains(e.getKey());
          if (anyHalf) {
            out.writeInt(halfBlock ? 1 : 0);
          }
          out.writeInt(shape.dimension());
          for (long d : shape.getShape()) {
            out.writeInt((int) d);
          }
          if (halfBlock) {
            java.nio.FloatBuffer floats =
                v.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            ByteBuffer bits =
                ByteBuffer.allocate(floats.remaining() * Short.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            while (floats.hasRemaining()) {
              bits.putShort(Float16.toBits(floats.get()));
            }
            v = bits.clear();
          }
          out.writeLong(crc(v.duplicate()));
          writeFully(ch, ByteBuffer.wrap(header.toByteArray()));
          header.reset();
          writeFully(ch, v);
        }
        writeFully(ch, ByteBuffer.wrap(header.toByteArray()));
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

  private static void writeFully(FileChannel ch, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      ch.write(bytes);
    }
  }

  private static long crc(ByteBuffer bytes) {
    CRC32 c = new CRC32();
    c.update(bytes);
    return c.getValue();
  }
}
