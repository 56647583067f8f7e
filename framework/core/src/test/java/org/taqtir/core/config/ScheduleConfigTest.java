package org.taqtir.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleConfigTest {

  private static final double EPS = 1e-12;

  @Test
  void constantKeepsTheBaseRate() {
    for (int e = 0; e < 5; e++) {
      assertEquals(0.1, ScheduleConfig.constant().lr(0.1, e, 5), EPS);
    }
  }

  @Test
  void stepDecaysEveryStepSizeEpochs() {
    ScheduleConfig s = ScheduleConfig.step(2, 0.5);
    double[] expected = {0.1, 0.1, 0.05, 0.05, 0.025};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.lr(0.1, e, 5), EPS);
    }
  }

  @Test
  void cosineFollowsAHalfCosineToTheFloor() {
    ScheduleConfig s = ScheduleConfig.cosine(0.01);
    assertEquals(0.1, s.lr(0.1, 0, 4), EPS);
    // e = 2 of E = 4: cos(pi/2) = 0, halfway between base and floor
    assertEquals(0.055, s.lr(0.1, 2, 4), EPS);
    assertEquals(0.01 + 0.09 * (1 + Math.cos(Math.PI * 3 / 4)) / 2, s.lr(0.1, 3, 4), EPS);
  }

  @Test
  void warmupRampsLinearlyThenTheScheduleStartsAtZero() {
    ScheduleConfig s = new ScheduleConfig("cosine", 0, 0, 0.0, 2);
    assertEquals(0.1 / 3, s.lr(0.1, 0, 6), EPS);
    assertEquals(0.2 / 3, s.lr(0.1, 1, 6), EPS);
    assertEquals(0.1, s.lr(0.1, 2, 6), EPS);
    assertEquals(0.05, s.lr(0.1, 4, 6), EPS);
    ScheduleConfig step = new ScheduleConfig("step", 1, 0.5, 0, 1);
    assertEquals(0.05, step.lr(0.1, 0, 3), EPS);
    assertEquals(0.1, step.lr(0.1, 1, 3), EPS);
    assertEquals(0.05, step.lr(0.1, 2, 3), EPS);
  }

  @Test
  void epochOutsideThePhaseIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.constant().lr(0.1, 5, 5));
    assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.constant().lr(0.1, -1, 5));
    assertThrows(IllegalArgumentException.class, () -> new ScheduleConfig("linear", 0, 0, 0, 0));
  }
}
