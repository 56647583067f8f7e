package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.TableSchema;

/** What a CSV table may hold, and the one-line errors for what it may not. */
class CsvTableInputsTest {

  @TempDir Path dir;

  private static TableSchema schema(Path f, List<String> categorical) {
    return new TableSchema(f, "kind", List.of(), categorical, null, null, 1, null);
  }

  private static IllegalArgumentException refused(Path f, List<String> categorical) {
    return assertThrows(
        IllegalArgumentException.class, () -> CsvTable.load(schema(f, categorical), 1, 1));
  }

  @Test
  void aRowWhoseFirstCellStartsWithHashIsData() throws IOException {
    Path f = dir.resolve("tags.csv");
    Files.writeString(f, "tag,x,kind\n#a,1,a\n#b,2,b\nc,3,a\n#d,4,b\ne,5,a\n#f,6,b\n");
    CsvTable.Prepared p = CsvTable.load(schema(f, List.of("tag")), 1, 1);
    assertEquals(6, p.schema().get("rows"), "a CSV table has no comment lines");
    DataSplits s = p.splits();
    assertEquals(6, s.train().size() + s.validation().size() + s.test().size());
    assertTrue(s.train().featureNames().stream().anyMatch(n -> n.startsWith("tag=#")));
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedAtTheirLine() throws IOException {
    Path f = dir.resolve("latin1.csv");
    byte[] head = "x,kind\n1,a\n2,b\n3,".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[head.length + 3];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = 'c';
    bytes[head.length + 1] = (byte) 0xE9; // "é" in Latin-1
    bytes[head.length + 2] = '\n';
    Files.write(f, bytes);
    assertEquals(
        "latin1.csv:4: not UTF-8 text (byte 0xe9 at column 4); save the CSV table as UTF-8",
        refused(f, List.of()).getMessage());
  }

  @Test
  void aValueOutsideTheFloatRangeIsRefusedWithItsRowAndColumn() throws IOException {
    Path f = dir.resolve("big.csv");
    Files.writeString(f, "x,kind\n1,a\n2,b\n1e300,a\n4,b\n5,a\n6,b\n");
    assertEquals(
        "big.csv: row 3, column \"x\": \"1e300\" is out of range: a feature must be a finite"
            + " 32-bit number, within ±3.4e38",
        refused(f, List.of()).getMessage());
  }

  @Test
  void aCellOverTheReadersLimitIsOneLineNamingTheRow() throws IOException {
    Path f = dir.resolve("long.csv");
    Files.writeString(f, "x,kind\n1,a\n2," + "b".repeat(5000) + "\n3,a\n");
    String m = refused(f, List.of("x")).getMessage();
    assertEquals(
        "long.csv: row 2: a cell is longer than 4096 characters, the most a table cell"
            + " may hold",
        m);
  }

  @Test
  void aRowWithMoreCellsThanTheHeaderIsOneLine() throws IOException {
    Path f = dir.resolve("wide.csv");
    Files.writeString(f, "x,kind\n1,a\n2,b,9\n3,a\n4,b\n");
    assertEquals(
        "wide.csv: row 2: the row has more cells than the 2 columns of the header",
        refused(f, List.of()).getMessage());
    Path g = dir.resolve("wider.csv");
    Files.writeString(g, "x,kind\n1,a\n2,b" + ",9".repeat(600) + "\n3,a\n4,b\n");
    assertEquals(
        "wider.csv: row 2: the row has more cells than the 2 columns of the header",
        refused(g, List.of()).getMessage());
  }

  @Test
  void aDirectoryIsNotReportedAsMissing() throws IOException {
    Path d = Files.createDirectory(dir.resolve("table.csv"));
    String m = refused(d, List.of()).getMessage();
    assertTrue(m.startsWith("table.csv: "), m);
    assertTrue(m.contains("is a directory"), m);
  }
}
