package org.taqtir.core.eval.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taqtir.core.config.EvaluationConfig;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TrainResult;

/** The study-level wiring: paired comparisons across seeds and the omitted-class keys, by hand. */
class LossEvaluatorTest {

  private static final int[] TEST = {0, 1, 2, 0, 1, 2};
  private static final int[] VAL = {0, 1, 2, 0, 1, 2};

  /** Students' validation logits; t = max(z0, z1) − z2 per row: 2, 1, 0.5, 3, 4, 5. */
  private static final float[] VAL_LOGITS = {
    2, 0, 0, 0, 1, 0, 0.5f, 0, 0, 3, 0, 0, 0, 4, 0, 5, 0, 0
  };

  /** Logits 2·one-hot(prediction). */
  private static float[] predicting(int... classes) {
    float[] z = new float[classes.length * 3];
    for (int i = 0; i < classes.length; i++) {
      z[i * 3 + classes[i]] = 2;
    }
    return z;
  }

  private static RunSummary run(String method, long seed, boolean labelsOnly, int... test) {
    TrainResult r =
        new TrainResult(
            List.of(),
            0,
            1,
            Double.NaN,
            10,
            0,
            0,
            null,
            Map.of(),
            new ModelOutputs(VAL_LOGITS, predicting(test), Map.of(), 1, 2, 10, 0));
    return new RunSummary("s", "arch", method, seed, r, 0, Path.of("."), labelsOnly);
  }

  @Test
  void methodsArePairedBySeedAndTheOmittedClassIsProbed() {
    List<RunSummary> runs =
        List.of(
            run("base", 1, true, 0, 1, 0, 0, 1, 0), // 4/6
            run("base", 2, true, 0, 0, 0, 0, 1, 0), // 3/6
            run("kd", 1, false, 0, 1, 2, 0, 1, 0), // 5/6
            run("kd", 2, false, 0, 1, 2, 0, 1, 2)); // 6/6
    ModelOutputs teacher =
        new ModelOutputs(
            predicting(0, 1, 2, 0, 1, 2), predicting(0, 1, 2, 0, 1, 2), Map.of(), 10, 20, 100, 0);
    LossReport r =
        LossEvaluator.evaluate(
            runs, teacher, VAL, TEST, 3, EvaluationConfig.defaults(), List.of(2));

    assertEquals(1, r.comparisons().size());
    Comparison c = r.comparisons().get(0);
    assertEquals("base", c.a());
    assertEquals("kd", c.b());
    // per seed: 4/6 − 5/6 and 3/6 − 6/6 → mean −1/3, std sqrt(2 · (1/6)²) = 0.2357
    assertEquals(-1.0 / 3, c.delta().mean(), 1e-12);
    assertEquals(Math.sqrt(2) / 6, c.delta().std(), 1e-12);
    assertTrue(c.lo() <= c.delta().mean() && c.delta().mean() <= c.hi(), c.toString());

    MethodEvaluation kd = r.methods().get(1);
    assertEquals("kd", kd.method());
    assertEquals(1.0 / 3, kd.mean("acc_delta"), 1e-12, "kd − base, the mirror of the pair");
    // class 2 on test: kd seed 1 gets 1 of 2, seed 2 gets 2 of 2
    assertEquals(0.75, kd.mean("omitted.2.acc"), 1e-12);
    // validation: the students never predict 2 and the teacher does on 2 of 6 rows, so the bias
    // is (t_(2) + t_(3)) / 2 = (1 + 2) / 2 and exactly the rows with t = 0.5 and 1 switch
    assertEquals(1.5, kd.mean("omitted.2.bias"), 1e-12);
    assertEquals(0.0, kd.mean("omitted.2.val_freq"), 1e-12);
    assertEquals(2.0 / 6, kd.mean("omitted.2.val_freq_corrected"), 1e-12);
    assertEquals(2.0 / 6, r.teacherMetrics().get("omitted.2.val_freq"), 1e-12);
    assertEquals(1.0, r.teacherMetrics().get("omitted.2.acc"), 1e-12);
    assertEquals(List.of(2), r.omittedClasses());
  }
}
