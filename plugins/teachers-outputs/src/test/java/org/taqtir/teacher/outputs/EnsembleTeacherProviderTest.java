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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Teacher;
import org.taqtir.core.registry.ParamResolver;

class EnsembleTeacherProviderTest {

  @TempDir Path dir;

  // two samples, three classes
  private static final double[][] A = {{1, 2, 3}, {0, 0, 4}};
  private static final double[][] B = {{3, 0, -1}, {2, 2, 2}};

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("a.csv"), "1,2,3\n0,0,4\n");
    Files.writeString(dir.resolve("b.csv"), "3,0,-1\n2,2,2\n");
  }

  private Teacher ensemble(NDManager m, String aggregation, List<?> weights) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put(
        "members",
        List.of(
            Map.of("id", "logits-file", "params", Map.of("train", "a.csv")),
            Map.of("id", "logits-file", "params", Map.of("train", "b.csv"))));
    if (aggregation != null) {
      raw.put("aggregation", aggregation);
    }
    if (weights != null) {
      raw.put("weights", weights);
    }
    var p = new EnsembleTeacherProvider();
    return p.create(
        ParamResolver.resolve("ensemble", p.params(), raw, "teacher.load.params"),
        Contexts.of(m, dir, LogitsFileTeacherProviderTest.SHAPE, 2, 2));
  }

  private static float[] run(Teacher t, NDManager m) {
    NDArray x = m.zeros(new Shape(2, 1, 2, 2));
    return t.forward(x, new SampleRefs("train", new int[] {0, 1}), Set.of())
        .logits()
        .toFloatArray();
  }

  private static double[] softmax(double[] z) {
    double max = Math.max(z[0], Math.max(z[1], z[2]));
    double s = 0;
    double[] p = new double[3];
    for (int c = 0; c < 3; c++) {
      p[c] = Math.exp(z[c] - max);
      s += p[c];
    }
    for (int c = 0; c < 3; c++) {
      p[c] /= s;
    }
    return p;
  }

  private static float[] expected(String aggregation, double wa) {
    float[] out = new float[6];
    for (int i = 0; i < 2; i++) {
      double[] pa = softmax(A[i]);
      double[] pb = softmax(B[i]);
      for (int c = 0; c < 3; c++) {
        out[i * 3 + c] =
            (float)
                (aggregation.equals("mean-logits")
                    ? (A[i][c] + B[i][c]) / 2
                    : Math.log(wa * pa[c] + (1 - wa) * pb[c]));
      }
    }
    return out;
  }

  @Test
  void aggregatesAsDeclared() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertArrayEquals(
          expected("mean-logits", 0.5), run(ensemble(m, "mean-logits", null), m), 1e-6f);
      assertArrayEquals(
          expected("mean-probs", 0.5), run(ensemble(m, "mean-probs", null), m), 1e-6f);
      Teacher w = ensemble(m, "weighted", List.of(3, 1));
      assertArrayEquals(expected("weighted", 0.75), run(w, m), 1e-6f);
      assertTrue(w.describe().startsWith("ensemble weighted weights [0.7500, 0.2500] of ["));
      assertTrue(w.indexed());
      assertTrue(w.taps().isEmpty());
    }
  }

  @Test
  void fingerprintCombinesMembersAggregationAndWeights() {
    try (NDManager m = NDManager.newBaseManager()) {
      String mean = ensemble(m, "mean-probs", null).fingerprint();
      assertEquals(mean, ensemble(m, "mean-probs", null).fingerprint());
      assertNotEquals(mean, ensemble(m, "mean-logits", null).fingerprint());
      String w31 = ensemble(m, "weighted", List.of(3, 1)).fingerprint();
      assertEquals(w31, ensemble(m, "weighted", List.of(6, 2)).fingerprint(), "normalised");
      assertNotEquals(w31, ensemble(m, "weighted", List.of(1, 3)).fingerprint());
      assertEquals(
          ensemble(m, "weighted", List.of(1, 1))
              .describe()
              .replace("weighted weights [0.5000," + " 0.5000]", "x"),
          ensemble(m, "weighted", List.of(2, 2))
              .describe()
              .replace("weighted weights [0.5000," + " 0.5000]", "x"));
    }
  }

  @Test
  void explainsBadConfigurations() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(
          "ensemble: params.aggregation is required; allowed: mean-logits, mean-probs, weighted",
          assertThrows(IllegalArgumentException.class, () -> ensemble(m, null, null)).getMessage());
      assertEquals(
          "ensemble: params.weights has 1 weights for 2 members; aggregation: weighted needs one"
              + " per member",
          assertThrows(IllegalArgumentException.class, () -> ensemble(m, "weighted", List.of(1)))
              .getMessage());
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class, () -> ensemble(m, "mean-probs", List.of(1, 2)))
              .getMessage()
              .startsWith("ensemble: params.weights is used only with aggregation: weighted"));
      var p = new EnsembleTeacherProvider();
      String unknown =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      p.create(
                          ParamResolver.resolve(
                              "ensemble",
                              p.params(),
                              Map.of(
                                  "aggregation",
                                  "mean-probs",
                                  "members",
                                  List.of(
                                      Map.of(
                                          "id", "logits-file", "params", Map.of("train", "a.csv")),
                                      Map.of("id", "onnxx"))),
                              "teacher.load.params"),
                          Contexts.of(m, dir, LogitsFileTeacherProviderTest.SHAPE, 2, 2)))
              .getMessage();
      assertTrue(
          unknown.startsWith("teacher.load.params.members[1].id: unknown teacher 'onnxx'"),
          unknown);
    }
  }
}
