package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.TableSchema;

class CsvTableTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private static final String TABLE =
      String.join(
          "\n",
          "x,colour,kind,sex,split",
          "1,red,b,f,train",
          "3,blue,a,m,train",
          "5,red,b,m,train",
          "7,red,a,f,train",
          "2,green,a,f,validation",
          "4,blue,b,m,test",
          "");

  @Test
  void encodesWithTrainingStatisticsAndKeepsTheGroupAside() throws IOException {
    Path f = write("t.csv", TABLE);
    CsvTable.Prepared p =
        CsvTable.load(
            new TableSchema(f, "kind", List.of(), List.of("colour"), "sex", "split", 0, null),
            0,
            1);
    DataSplits s = p.splits();
    assertEquals(List.of("a", "b"), p.classNames());
    // train x = 1, 3, 5, 7: mean 4, population std sqrt(5); colours seen in train: blue, red
    assertEquals(List.of("x", "colour=blue", "colour=red"), s.train().featureNames());
    double sd = Math.sqrt(5);
    assertArrayEquals(
        new float[] {
          (float) (-3 / sd),
          0,
          1,
          (float) (-1 / sd),
          1,
          0,
          (float) (1 / sd),
          0,
          1,
          (float) (3 / sd),
          0,
          1
        },
        s.train().features(),
        1e-6f);
    assertArrayEquals(new int[] {1, 0, 1, 0}, s.train().labels());
    // "green" never occurs in training: all-zero one-hot, counted
    assertArrayEquals(new float[] {(float) (-2 / sd), 0, 0}, s.validation().features(), 1e-6f);
    assertEquals(1, p.schema().get("unseen_categories"));
    assertEquals(List.of("f", "m"), s.test().groupNames());
    assertArrayEquals(new int[] {0, 1, 1, 0}, s.train().groups());
    assertArrayEquals(new int[] {1}, s.test().groups());
    assertEquals(Map.of("categories", List.of("blue", "red")), encoding(p).get("colour"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> encoding(CsvTable.Prepared p) {
    return (Map<String, Object>) p.schema().get("encoding");
  }

  @Test
  void binarisesAtTheTrainingMedianAndSplitsBySeed() throws IOException {
    StringBuilder sb = new StringBuilder("a,y\n");
    for (int i = 0; i < 20; i++) {
      sb.append(i).append(',').append(i * 10).append('\n');
    }
    Path f = write("r.csv", sb.toString());
    TableSchema schema = new TableSchema(f, "y", List.of(), List.of(), null, null, 4, "median");
    CsvTable.Prepared p = CsvTable.load(schema, 4, 7);
    DataSplits s = p.splits();
    assertEquals(12, s.train().size());
    assertEquals(4, s.validation().size());
    assertEquals(4, s.test().size());
    double t = (Double) p.schema().get("binarize_threshold");
    // the median of the 12 training targets: half of them lie above it
    int above = 0;
    for (int l : s.train().labels()) {
      above += l;
    }
    assertEquals(6, above);
    assertEquals(
        List.of("y <= " + CsvTableTest.fmt(t), "y > " + CsvTableTest.fmt(t)), p.classNames());
    assertEquals(s.hash(), CsvTable.load(schema, 4, 7).splits().hash(), "same seed, same split");
    assertTrue(!s.hash().equals(CsvTable.load(schema, 4, 8).splits().hash()));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  @Test
  void shippedWineTableIsAThreeClassProblem() {
    Path wine = Path.of("../../experiments/tabular-compression/data/wine.csv").toAbsolutePath();
    CsvTable.Prepared p =
        CsvTable.load(
            new TableSchema(wine, "cultivar", List.of(), List.of(), null, null, 40, null), 30, 42);
    assertEquals(List.of("class_0", "class_1", "class_2"), p.classNames());
    assertEquals(13, p.splits().train().featureSize());
    assertEquals(108, p.splits().train().size());
    assertEquals(30, p.splits().validation().size());
    assertEquals(40, p.splits().test().size());
    // standardised with the training split: mean 0, population variance 1 per column
    float[] x = p.splits().train().features();
    for (int j = 0; j < 13; j++) {
      double mean = 0;
      double sq = 0;
      for (int i = 0; i < 108; i++) {
        mean += x[i * 13 + j] / 108.0;
        sq += x[i * 13 + j] * (double) x[i * 13 + j] / 108.0;
      }
      assertEquals(0, mean, 1e-5, "column " + j);
      assertEquals(1, sq - mean * mean, 1e-4, "column " + j);
    }
  }

  @Test
  void badCellNamesFileRowAndColumn() throws IOException {
    Path f = write("wine.csv", "alcohol,kind\n1.5,a\n2.5,b\nabc,a\n3,b\n4,a\n5,b\n");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CsvTable.load(
                    new TableSchema(f, "kind", List.of(), List.of(), null, null, 1, null), 1, 1));
    assertEquals(
        "wine.csv: row 3, column \"alcohol\": \"abc\" is not a number (list the column in"
            + " data.categorical if it is a category)",
        e.getMessage());
  }

  @Test
  void missingValueAndUnknownColumnAreNamed() throws IOException {
    Path f = write("m.csv", "a,kind\n1,x\n,y\n3,x\n4,y\n5,x\n6,y\n");
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CsvTable.load(
                    new TableSchema(f, "kind", List.of(), List.of(), null, null, 1, null), 1, 1));
    assertEquals("m.csv: row 2, column \"a\": the value is missing", missing.getMessage());
    var column =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CsvTable.load(
                    new TableSchema(f, "label", List.of(), List.of(), null, null, 1, null), 1, 1));
    assertEquals(
        "m.csv: data.target names column \"label\", which is not in [a, kind]",
        column.getMessage());
    Path g = write("s.csv", "a,kind,split\n1,x,train\n2,y,dev\n");
    var split =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CsvTable.load(
                    new TableSchema(g, "kind", List.of(), List.of(), null, "split", 0, null),
                    0,
                    1));
    assertEquals(
        "s.csv: row 2, column \"split\": \"dev\" is not a split; allowed: train, validation, test",
        split.getMessage());
  }
}
