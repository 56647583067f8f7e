package org.taqtir.text.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads R lazy-load data written here byte by byte in R's XDR serialisation (version 3), as {@code
 * R CMD build} writes a package's {@code data/Rdata.rdx} and {@code Rdata.rdb}: an index list with
 * named offsets, and zlib records of character vectors (NA, empty and non-ASCII strings included).
 */
class RDataTest {

  @TempDir Path dir;

  private static final int ATTR = 1 << 9;
  private static final int TAG = 1 << 10;

  /** R's serialisation header, version 3, native encoding UTF-8. */
  private static void header(DataOutputStream out) throws IOException {
    out.writeBytes("X\n");
    out.writeInt(3);
    out.writeInt(0x40300);
    out.writeInt(0x30500);
    out.writeInt(5);
    out.writeBytes("UTF-8");
  }

  private static void chars(DataOutputStream out, String s) throws IOException {
    out.writeInt(9 | (1 << 15)); // CHARSXP, UTF-8 flag
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void strings(DataOutputStream out, List<String> v, int flags) throws IOException {
    out.writeInt(16 | flags);
    out.writeInt(v.size());
    for (String s : v) {
      chars(out, s);
    }
  }

  /** A pairlist {@code names = <strings>}, the symbol written once, as R does. */
  private static void names(DataOutputStream out, List<String> v, boolean symbolSeen)
      throws IOException {
    out.writeInt(2 | TAG);
    if (symbolSeen) {
      out.writeInt(255 | (1 << 8)); // reference to the first symbol
    } else {
      out.writeInt(1);
      chars(out, "names");
    }
    strings(out, v, 0);
    out.writeInt(254);
  }

  private static byte[] record(List<String> lines) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(raw);
    header(out);
    strings(out, lines, 0);
    out.flush();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    DataOutputStream zd = new DataOutputStream(z);
    zd.writeInt(raw.size());
    try (OutputStream d = new DeflaterOutputStream(zd)) {
      d.write(raw.toByteArray());
    }
    return z.toByteArray();
  }

  @Test
  void readsNamedCharacterVectorsFromIndexAndDatabase() throws IOException {
    Map<String, List<String>> data =
        Map.of(
            "emma", Arrays.asList("EMMA", "", "CHAPTER I", "Emma Woodhouse, handsome,", null),
            "persuasion", List.of("Persuasion", "Chapter 1", "Sir Walter Elliot — يسكن"));
    List<String> order = List.of("emma", "persuasion");
    ByteArrayOutputStream db = new ByteArrayOutputStream();
    int[][] at = new int[order.size()][];
    for (int i = 0; i < order.size(); i++) {
      byte[] r = record(data.get(order.get(i)));
      at[i] = new int[] {db.size(), r.length};
      db.write(r);
    }
    Files.write(dir.resolve("Rdata.rdb"), db.toByteArray());
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(idx);
    header(out);
    out.writeInt(19 | ATTR); // list(variables, references, compressed)
    out.writeInt(3);
    out.writeInt(19 | ATTR); // variables: named list of (offset, length)
    out.writeInt(order.size());
    for (int[] a : at) {
      out.writeInt(13);
      out.writeInt(2);
      out.writeInt(a[0]);
      out.writeInt(a[1]);
    }
    names(out, order, false);
    out.writeInt(19 | ATTR); // references: empty named list
    out.writeInt(0);
    names(out, List.of(), true);
    out.writeInt(10); // compressed: TRUE (zlib)
    out.writeInt(1);
    out.writeInt(1);
    names(out, List.of("variables", "references", "compressed"), true);
    out.flush();
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("Rdata.rdx")))) {
      gz.write(idx.toByteArray());
    }

    Map<String, List<String>> read =
        RData.characterVectors(dir.resolve("Rdata.rdx"), dir.resolve("Rdata.rdb"));
    assertEquals(order, List.copyOf(read.keySet()));
    assertEquals(data.get("emma"), read.get("emma"));
    assertEquals(data.get("persuasion"), read.get("persuasion"));

    List<Document> chapters = JaneAusten.split("emma", read.get("emma"));
    assertEquals(1, chapters.size());
    assertEquals("emma/01", chapters.get(0).name());
    assertEquals("Emma Woodhouse, handsome,", chapters.get(0).text());
  }

  @Test
  void aFileThatIsNotRDataIsRefusedByName() throws IOException {
    Path rdx = dir.resolve("Rdata.rdx");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(rdx))) {
      gz.write("not R".getBytes(StandardCharsets.UTF_8));
    }
    Files.write(dir.resolve("Rdata.rdb"), new byte[16]);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RData.characterVectors(rdx, dir.resolve("Rdata.rdb")));
    assertTrue(
        e.getMessage().contains("Rdata.rdx") && e.getMessage().contains("not R's"), e.getMessage());
  }
}
