package org.taqtir.text.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Reads character vectors from an R package's lazy-load data ({@code data/Rdata.rdx} and {@code
 * data/Rdata.rdb}) in plain Java, so R itself need not be installed. The index ({@code .rdx}, gzip)
 * is an R-serialised list whose {@code variables} entry maps each object's name to an {@code
 * (offset, length)} pair in the database ({@code .rdb}); each record there is a 4-byte big-endian
 * uncompressed length followed by a zlib stream of one R-serialised object. Only what text data
 * sets use is supported: lists, character, integer, logical and double vectors, attributes, pair
 * lists, symbols and references to earlier symbols (R's XDR format, versions 2 and 3).
 */
public final class RData {

  private static final int NILVALUE = 254;
  private static final int REF = 255;
  private static final int SYM = 1;
  private static final int LIST = 2;
  private static final int CHAR = 9;
  private static final int LGL = 10;
  private static final int INT = 13;
  private static final int REAL = 14;
  private static final int STR = 16;
  private static final int VEC = 19;

  private RData() {}

  /**
   * Reads every character vector of a package's data.
   *
   * @param rdx the index file, e.g. {@code .../janeaustenr/data/Rdata.rdx}
   * @param rdb the database file next to it
   * @return object name to its strings (NA as {@code null}), in the index's order
   * @throws IOException when a file cannot be read
   * @throws IllegalArgumentException naming the file when its content is not what R writes
   */
  public static Map<String, List<String>> characterVectors(Path rdx, Path rdb) throws IOException {
    Object index;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(rdx))) {
      index = new Reader(in.readAllBytes(), rdx).read();
    }
    List<?> top = values(index, rdx);
    if (top.size() > 2 && top.get(2) instanceof int[] compressed && compressed[0] != 1) {
      throw new IllegalArgumentException(
          rdb + ": records compressed with method " + compressed[0] + "; only zlib (1) is read");
    }
    List<?> variables = values(top.get(0), rdx);
    List<String> names = names(top.get(0), rdx);
    byte[] db = Files.readAllBytes(rdb);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      int[] at = (int[]) variables.get(i);
      byte[] record = inflate(db, at[0], at[1], rdb);
      Object value = new Reader(record, rdb).read();
      Object plain = value instanceof Attributed a ? a.value() : value;
      if (plain instanceof String[] strings) {
        out.put(names.get(i), java.util.Arrays.asList(strings));
      }
    }
    return out;
  }

  private static byte[] inflate(byte[] db, int offset, int length, Path file) {
    if (offset < 0 || length < 4 || (long) offset + length > db.length) {
      throw new IllegalArgumentException(file + ": record at " + offset + " is outside the file");
    }
    int size = ByteBuffer.wrap(db, offset, 4).getInt();
    Inflater inflater = new Inflater();
    inflater.setInput(db, offset + 4, length - 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(size, 16));
    byte[] buf = new byte[1 << 16];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException(file + ": truncated zlib record at " + offset);
        }
        out.write(buf, 0, n);
      }
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException(file + ": bad zlib record at " + offset, e);
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }

  private static List<?> values(Object o, Path file) {
    Object v = o instanceof Attributed a ? a.value() : o;
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(file + ": expected an R list, found " + describe(v));
  }

  private static List<String> names(Object o, Path file) {
    if (o instanceof Attributed a && a.attributes().get("names") instanceof String[] n) {
      return List.of(n);
    }
    throw new IllegalArgumentException(file + ": the R list has no names");
  }

  private static String describe(Object v) {
    return v == null ? "NULL" : v.getClass().getSimpleName();
  }

  /** A value with its attributes (e.g. {@code names}). */
  record Attributed(Object value, Map<String, Object> attributes) {}

  /** An R symbol. */
  record Symbol(String name) {}

  /** R's serialisation format, XDR (big-endian), versions 2 and 3. */
  private static final class Reader {
    private final ByteBuffer in;
    private final Path file;
    private final List<Object> refs = new ArrayList<>();

    Reader(byte[] bytes, Path file) {
      this.in = ByteBuffer.wrap(bytes);
      this.file = file;
    }

    Object read() {
      if (in.remaining() < 14 || in.get() != 'X' || in.get() != '\n') {
        throw new IllegalArgumentException(file + ": not R's XDR serialisation");
      }
      int version = in.getInt();
      in.getInt(); // the R version that wrote it
      in.getInt(); // the oldest R version that reads it
      if (version == 3) {
        int n = in.getInt(); // native encoding name
        in.position(in.position() + n);
      } else if (version != 2) {
        throw new IllegalArgumentException(file + ": R serialisation version " + version);
      }
      return item();
    }

    private Object item() {
      int flags = in.getInt();
      int type = flags & 0xff;
      boolean hasAttributes = (flags & (1 << 9)) != 0;
      boolean hasTag = (flags & (1 << 10)) != 0;
      switch (type) {
        case NILVALUE:
          return null;
        case REF:
          {
            int k = flags >>> 8;
            return refs.get((k == 0 ? in.getInt() : k) - 1);
          }
        case SYM:
          {
            Symbol s = new Symbol((String) item());
            refs.add(s);
            return s;
          }
        case CHAR:
          {
            int n = in.getInt();
            if (n == -1) {
              return null;
            }
            byte[] b = new byte[n];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
          }
        case LIST:
          {
            Map<String, Object> pairs = new LinkedHashMap<>();
            Object attributes = hasAttributes ? item() : null;
            Object tag = hasTag ? item() : null;
            Object car = item();
            Object cdr = item();
            pairs.put(tag instanceof Symbol s ? s.name() : String.valueOf(pairs.size()), car);
            if (cdr instanceof Map<?, ?> rest) {
              rest.forEach((k, v) -> pairs.put((String) k, v));
            }
            return pairs;
          }
        default:
          break;
      }
      Object value;
      int n = in.getInt();
      switch (type) {
        case INT, LGL -> {
          int[] v = new int[n];
          in.asIntBuffer().get(v);
          in.position(in.position() + 4 * n);
          value = v;
        }
        case REAL -> {
          double[] v = new double[n];
          in.asDoubleBuffer().get(v);
          in.position(in.position() + 8 * n);
          value = v;
        }
        case STR -> {
          String[] v = new String[n];
          for (int i = 0; i < n; i++) {
            v[i] = (String) item();
          }
          value = v;
        }
        case VEC -> {
          List<Object> v = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            v.add(item());
          }
          value = v;
        }
        default ->
            throw new IllegalArgumentException(
                file + ": unsupported R type " + type + " at byte " + (in.position() - 8));
      }
      if (hasAttributes) {
        Object attributes = item();
        @SuppressWarnings("unchecked")
        Map<String, Object> map =
            attributes instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new Attributed(value, map);
      }
      return value;
    }
  }
}
