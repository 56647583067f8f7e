package org.taqtir.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void accuracyCountsArgmaxMatchesWithLowestIndexOnTies() {
    float[] logits = {1, 2, 0, /* */ 3, 3, 0, /* */ 0, 0, 5, /* */ 9, 1, 1};
    assertEquals(0.75, Metrics.accuracy(logits, new int[] {1, 0, 2, 1}, 3), 1e-12);
    assertEquals(1, Metrics.argmax(logits, 1, 3) + 1, "tie between 0 and 1 goes to 0");
  }

  @Test
  void crossEntropyMatchesHandComputation() {
    // row 0: log(e^0 + e^0) - 0 = ln 2 ; row 1: large logits stay finite (log-sum-exp)
    float[] logits = {0, 0, 1000, 0};
    double expected = (Math.log(2) + Math.log(1 + Math.exp(-1000))) / 2;
    assertEquals(expected, Metrics.crossEntropy(logits, new int[] {1, 0}, 2), 1e-12);
  }

  @Test
  void shapeMismatchIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Metrics.accuracy(new float[5], new int[2], 3));
  }
}
