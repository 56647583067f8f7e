package org.taqtir.teacher.outputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Teacher;

class LogitsFileTeacherProviderTest {

  static final ModelShape SHAPE = new ModelShape(new Shape(1, 2, 2), 3);

  @TempDir Path dir;

  static Params params(Object... kv) {
    Map<String, Object> v =
        new LinkedHashMap<>(new LogitsFileTeacherProvider().params().defaults().values());
    for (int i = 0; i < kv.length; i += 2) {
      v.put((String) kv[i], kv[i + 1]);
    }
    return new Params(v);
  }

  private Teacher create(NDManager m, int trainRows, Object... kv) {
    return new LogitsFileTeacherProvider()
        .create(params(kv), Contexts.of(m, dir, SHAPE, trainRows, 2));
  }

  private static float[] lookup(Teacher t, NDManager m, String source, int... rows) {
    NDArray x = m.zeros(new Shape(rows.length, 1, 2, 2));
    return t.forward(x, new SampleRefs(source, rows), Set.of()).logits().toFloatArray();
  }

  @Test
  void csvWithAnIndexColumnIsKeyedByItAndTestRowsByTheTestFile() throws Exception {
    Files.writeString(dir.resolve("train.csv"), "index,a,b,c\n2,7,8,9\n0,1,2,3\n1,4,5,6\n");
    Files.writeString(dir.resolve("test.csv"), "0.5,0,0\n0,0.5,0\n");
    try (NDManager m = NDManager.newBaseManager();
        Teacher t = create(m, 3, "train", "train.csv", "test", "test.csv")) {
      assertArrayEquals(new float[] {7, 8, 9, 1, 2, 3}, lookup(t, m, "train", 2, 0));
      assertArrayEquals(new float[] {0, 0.5f, 0}, lookup(t, m, "test", 1));
      assertTrue(t.indexed());
      assertTrue(t.taps().isEmpty());
      assertTrue(t.describe().contains("train.csv (3 x 3) + test.csv (2 x 3)"), t.describe());
    }
  }

  @Test
  void probabilitiesBecomeLogProbabilitiesWhoseSoftmaxIsTheProbabilities() throws Exception {
    Files.writeString(dir.resolve("p.csv"), "0.2,0.3,0.5\n1,0,0\n");
    try (NDManager m = NDManager.newBaseManager();
        Teacher t = create(m, 2, "train", "p.csv", "values", "probabilities")) {
      float[] z = lookup(t, m, "train", 0, 1);
      assertEquals(Math.log(0.2), z[0], 1e-6);
      assertEquals(Math.log(0.5), z[2], 1e-6);
      assertEquals(Math.log(1e-30), z[4], 1e-3);
      float[] p = m.create(z, new Shape(2, 3)).softmax(1).toFloatArray();
      assertArrayEquals(new float[] {0.2f, 0.3f, 0.5f, 1, 0, 0}, p, 1e-6f);
    }
  }

  @Test
  void readsNpyWrittenByNumpy() {
    try (NDManager m = NDManager.newBaseManager()) {
      Teacher t =
          new LogitsFileTeacherProvider()
              .create(
                  params("train", NpyReaderTest.fixture("outputs-f8.npy").toString()),
                  Contexts.of(m, dir, new ModelShape(new Shape(1, 2, 2), 4), 3, 2));
      NDArray x = m.zeros(new Shape(1, 1, 2, 2));
      float[] row =
          t.forward(x, new SampleRefs("train", new int[] {1}), Set.of()).logits().toFloatArray();
      assertEquals(1e-7f, row[2]);
    }
  }

  @Test
  void fingerprintFollowsFileBytesAndValueKind() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "0.2,0.3,0.5\n1,0,0\n");
    Files.writeString(dir.resolve("b.csv"), "0.2,0.3,0.5\n1,0,0\n");
    Files.writeString(dir.resolve("c.csv"), "0.2,0.3,0.5\n0,1,0\n");
    try (NDManager m = NDManager.newBaseManager()) {
      String a = create(m, 2, "train", "a.csv").fingerprint();
      assertEquals(a, create(m, 2, "train", "b.csv").fingerprint());
      assertNotEquals(a, create(m, 2, "train", "c.csv").fingerprint());
      assertNotEquals(a, create(m, 2, "train", "a.csv", "values", "probabilities").fingerprint());
    }
  }

  @Test
  void validatesRowsColumnsAndValuesInOneLine() throws Exception {
    Files.writeString(dir.resolve("rows.csv"), "1,2,3\n4,5,6\n");
    Files.writeString(dir.resolve("cols.csv"), "1,2\n4,5\n");
    Files.writeString(dir.resolve("nan.csv"), "1,2,3\n4,NaN,6\n");
    Files.writeString(dir.resolve("sum.csv"), "0.5,0.2,0.2\n");
    Files.writeString(dir.resolve("ragged.csv"), "1,2,3\n4,5\n");
    try (NDManager m = NDManager.newBaseManager()) {
      assertTrue(
          error(m, 60000, "train", "rows.csv")
              .endsWith(
                  "rows.csv has 2 rows, but the train file has 60000 samples; row i must hold the"
                      + " outputs of sample i in file order"));
      assertTrue(
          error(m, 2, "train", "cols.csv")
              .endsWith("cols.csv has 2 outputs per row, but the data has 3 classes"));
      assertTrue(
          error(m, 2, "train", "nan.csv")
              .endsWith("nan.csv row 1 column 1 is NaN; allowed: a finite number"));
      assertTrue(
          error(m, 1, "train", "sum.csv", "values", "probabilities")
              .contains("sum.csv row 0 sums to 0.900000; probabilities must sum to 1"));
      assertTrue(
          error(m, 2, "train", "ragged.csv").endsWith("ragged.csv line 2: 2 outputs, expected 3"));
      assertTrue(error(m, 2, "train", "none.npy").endsWith("none.npy not found"));
      assertTrue(error(m, 2).startsWith("logits-file: params.train is required"));
    }
  }

  @Test
  void refusesSamplesWithoutRowsAndMissingTestOutputs() throws Exception {
    Files.writeString(dir.resolve("t.csv"), "1,2,3\n4,5,6\n");
    try (NDManager m = NDManager.newBaseManager();
        Teacher t = create(m, 2, "train", "t.csv")) {
      NDArray x = m.zeros(new Shape(1, 1, 2, 2));
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> t.forward(x, Set.of()))
              .getMessage()
              .contains("no row in the original data files"));
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> lookup(t, m, "test", 0))
              .getMessage()
              .contains("no outputs for the test file; set params.test"));
    }
  }

  private String error(NDManager m, int rows, Object... kv) {
    return assertThrows(IllegalArgumentException.class, () -> create(m, rows, kv)).getMessage();
  }
}
