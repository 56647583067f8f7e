package org.taqtir.strategy.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;

class LabelsOnlyTest {

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.1, 0.5})
  void crossEntropyMatchesReference(double smoothing) {
    double[][] s = {{1.0, -2.0, 0.5}, {0.0, 3.0, -1.0}, {2.0, 2.0, 2.0}, {-1.0, 0.3, 4.0}};
    int[] y = {2, 1, 0, 0};
    try (NDManager m = NDManager.newBaseManager()) {
      DistillationStrategy ce =
          new LabelsOnlyProvider().create(new Params(Map.of("label_smoothing", smoothing)));
      ce.prepare(new StrategyContext(m, 3, 4, 1));
      NDArray logits =
          m.create(new float[] {1, -2, .5f, 0, 3, -1, 2, 2, 2, -1, .3f, 4}).reshape(4, 3);
      logits.setRequiresGradient(true);
      NDArray labels = m.create(y);
      NDArray loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        loss =
            ce.loss(
                new StepOutputs(logits, Map.of()),
                null,
                new BatchContext(m, labels, labels.oneHot(3), m.arange(4), 0, 0));
        gc.backward(loss);
      }
      assertEquals(ReferenceLosses.crossEntropy(s, y, smoothing), loss.getFloat(), 1e-5);
      // d CE / d s = (softmax(s) - y') / B
      double[] q = ReferenceLosses.softmax(s[0], 1);
      double target = 1 - smoothing + smoothing / 3;
      assertEquals((q[2] - target) / 4, logits.getGradient().getFloat(0, 2), 1e-6);
    }
  }

  @Test
  void needsNoTeacher() {
    var p = new LabelsOnlyProvider();
    assertEquals(Family.LABELS, p.family());
    assertTrue(!p.capabilities().contains(Capability.NEEDS_TEACHER));
    assertEquals(0.0, p.params().defaults().getDouble("label_smoothing"));
  }
}
