package org.taqtir.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;
import org.taqtir.api.TrainingData;

class TribuoPluginTest {

  private static Params params(org.taqtir.api.Plugin p, Map<String, Object> over) {
    Map<String, Object> v = new LinkedHashMap<>(p.params().defaults().values());
    v.putAll(over);
    return new Params(v);
  }

  private static Teacher teacher(NDManager m, String model, TrainingData data, int seed) {
    var p = new TribuoTeacherProvider();
    return p.create(
        params(p, Map.of("model", model, "trees", 20, "seed", seed)), Fixtures.context(m, data));
  }

  private static double accuracy(float[] logits, int[] labels) {
    int[] arg = TribuoStudent.argmax(logits, labels.length, 2);
    int ok = 0;
    for (int i = 0; i < labels.length; i++) {
      ok += arg[i] == labels[i] ? 1 : 0;
    }
    return (double) ok / labels.length;
  }

  @Test
  void everyTeacherModelGivesLogProbabilitiesThatFitTheTable() {
    TrainingData train = Fixtures.data(1);
    TrainingData test = Fixtures.data(2);
    for (String model : new String[] {"xgboost", "random-forest", "linear"}) {
      try (NDManager m = NDManager.newBaseManager();
          Teacher t = teacher(m, model, train, 1)) {
        NDArray x = m.create(test.features(), new Shape(test.size(), 2));
        float[] z = t.forward(x, Set.of()).logits().toFloatArray();
        for (int i = 0; i < test.size(); i++) {
          double p = Math.exp(z[2 * i]) + Math.exp(z[2 * i + 1]);
          assertEquals(1.0, p, 1e-4, model + ": probabilities of row " + i + " sum to 1");
        }
        assertTrue(accuracy(z, test.labels()) > 0.85, model + " learns the linear boundary");
        assertTrue(t.taps().isEmpty());
        assertTrue(t.parameterCount() > 0, model + " counts its parameters");
      }
    }
  }

  @Test
  void threeClassesKeepTheirOrder() {
    // class c iff x0 falls in the c-th third: the log-probabilities must come back by class index
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    int n = 300;
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) r.nextDouble(0, 3);
      x[2 * i + 1] = (float) r.nextDouble();
      y[i] = Math.min(2, (int) x[2 * i]);
    }
    TrainingData data = new TrainingData(x, 2, y, 3, java.util.List.of("a", "b"), "three");
    var shape = new org.taqtir.api.ModelShape(new Shape(2), 3);
    try (NDManager m = NDManager.newBaseManager()) {
      var ctx = Fixtures.context(m, data);
      var withShape =
          new org.taqtir.api.TeacherContext() {
            @Override
            public org.taqtir.api.ModelShape shape() {
              return shape;
            }

            @Override
            public NDManager manager() {
              return m;
            }

            @Override
            public java.nio.file.Path resolve(String path) {
              return ctx.resolve(path);
            }

            @Override
            public org.taqtir.api.Student architecture(String id, Map<String, Object> params) {
              throw new UnsupportedOperationException();
            }

            @Override
            public TrainingData trainingData() {
              return data;
            }
          };
      var p = new TribuoTeacherProvider();
      for (String model : new String[] {"xgboost", "random-forest"}) {
        try (Teacher t = p.create(params(p, Map.of("model", model, "trees", 20)), withShape)) {
          float[] z = t.forward(m.create(x, new Shape(n, 2)), Set.of()).logits().toFloatArray();
          int ok = 0;
          for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
              best = z[3 * i + c] > z[3 * i + best] ? c : best;
            }
            ok += best == y[i] ? 1 : 0;
          }
          assertTrue(ok > 0.95 * n, model + ": " + ok + " of " + n);
        }
      }
    }
  }

  @Test
  void fingerprintCoversModelSeedAndData() {
    try (NDManager m = NDManager.newBaseManager();
        Teacher a = teacher(m, "random-forest", Fixtures.data(1), 1);
        Teacher same = teacher(m, "random-forest", Fixtures.data(1), 1);
        Teacher seed = teacher(m, "random-forest", Fixtures.data(1), 2);
        Teacher data = teacher(m, "random-forest", Fixtures.data(3), 1);
        Teacher model = teacher(m, "xgboost", Fixtures.data(1), 1)) {
      assertEquals(a.fingerprint(), same.fingerprint());
      assertNotEquals(a.fingerprint(), seed.fingerprint());
      assertNotEquals(a.fingerprint(), data.fingerprint());
      assertNotEquals(a.fingerprint(), model.fingerprint());
      NDArray x = m.create(Fixtures.data(2).features(), new Shape(200, 2));
      assertArrayEquals(
          a.forward(x, Set.of()).logits().toFloatArray(),
          same.forward(x, Set.of()).logits().toFloatArray(),
          "same config, seed and data give the same model");
    }
  }

  @Test
  void teacherNeedsTheTrainingSplit() {
    try (NDManager m = NDManager.newBaseManager()) {
      var p = new TribuoTeacherProvider();
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> p.create(params(p, Map.of()), Fixtures.context(m, null)));
      assertTrue(e.getMessage().contains("data.source: csv"), e.getMessage());
    }
  }

  @Test
  void treeStudentOnTeacherLabelsCopiesTheTeacherAndExportsItsRules() {
    TrainingData train = Fixtures.data(1);
    var p = new TribuoTreeStudentProvider();
    var student = (ClassicalStudent) p.create(params(p, Map.of("max_depth", 2)), Fixtures.SHAPE);
    assertEquals(ClassicalStudent.Target.TEACHER_LABELS, student.target());
    // a "teacher" that says class 1 iff a > 0.3: a depth-1 rule the tree must find exactly
    float[] z = new float[2 * train.size()];
    int[] teacherLabels = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      teacherLabels[i] = train.features()[2 * i] > 0.3f ? 1 : 0;
      z[2 * i + teacherLabels[i]] = 2f;
    }
    ClassicalStudent.FittedModel fitted = student.fit(train, z, 1);
    assertEquals(1.0, accuracy(fitted.logits(train.features(), train.size()), teacherLabels));
    String rules = fitted.export();
    assertTrue(rules.contains("if a <= "), rules);
    assertTrue(rules.contains("predict class 1"), rules);
    // 2 per split, 2 class scores per leaf
    assertTrue(fitted.parameterCount() >= 2 + 2 * 2, rules);
    assertThrows(UnsupportedOperationException.class, student::block);
  }

  @Test
  void linearStudentRegressesLinearLogits() {
    TrainingData train = Fixtures.data(1);
    var p = new TribuoLinearStudentProvider();
    var student = (ClassicalStudent) p.create(params(p, Map.of("epochs", 50)), Fixtures.SHAPE);
    assertEquals(ClassicalStudent.Target.TEACHER_LOGITS, student.target());
    float[] z = new float[2 * train.size()];
    float[] x = train.features();
    for (int i = 0; i < train.size(); i++) {
      z[2 * i] = -(x[2 * i] + 0.5f * x[2 * i + 1]);
      z[2 * i + 1] = x[2 * i] + 0.5f * x[2 * i + 1] + 1;
    }
    ClassicalStudent.FittedModel fitted = student.fit(train, z, 1);
    float[] out = fitted.logits(x, train.size());
    double mse = 0;
    for (int i = 0; i < z.length; i++) {
      mse += (out[i] - z[i]) * (out[i] - z[i]) / z.length;
    }
    assertTrue(mse < 0.01, "mean squared error " + mse);
    assertEquals(6, fitted.parameterCount(), "(2 features + bias) x 2 outputs");
    // the baseline fits the one-hot true labels with the same regressor
    float[] base = student.fit(train, null, 1).logits(x, train.size());
    assertTrue(accuracy(base, train.labels()) > 0.9);
  }
}
