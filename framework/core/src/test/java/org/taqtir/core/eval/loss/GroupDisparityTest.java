package org.taqtir.core.eval.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Group disparity on small cases computed by hand (in the comments). */
class GroupDisparityTest {

  @Test
  void binaryCaseByHand() {
    // group 0 = rows 0..3, group 1 = rows 4..7
    int[] labels = {1, 1, 0, 0, 1, 0, 0, 0};
    int[] predicted = {1, 0, 1, 0, 1, 1, 0, 0};
    int[] groups = {0, 0, 0, 0, 1, 1, 1, 1};
    GroupDisparity.Result r = GroupDisparity.of(predicted, labels, groups, 2, 2);
    // accuracy: g0 2/4, g1 3/4
    assertArrayEquals(new double[] {0.5, 0.75}, r.groupAccuracy(), 1e-12);
    assertEquals(0.25, r.accuracyGap(), 1e-12);
    assertEquals(0.5, r.worstGroupAccuracy(), 1e-12);
    // P(ŷ=1|g0) = 2/4 = P(ŷ=1|g1): no demographic-parity gap
    assertEquals(0.0, r.demographicParityGap(), 1e-12);
    // class 1: TPR g0 1/2, g1 1/1 (gap 1/2); FPR g0 1/2, g1 1/3 (gap 1/6) -> 1/2
    // class 0: TPR g0 1/2, g1 2/3 (gap 1/6); FPR g0 1/2, g1 0/1 (gap 1/2) -> 1/2
    assertEquals(0.5, r.equalisedOddsGap(), 1e-12);
    assertEquals(0, r.equalisedOddsClass(), "ties keep the first class");
  }

  @Test
  void multiClassTakesTheWorstClassAndSkipsEmptyGroups() {
    int[] labels = {0, 1, 1, 2, 0};
    int[] predicted = {0, 0, 1, 2, 2};
    int[] groups = {0, 0, 1, 1, 1}; // group 2 has no sample
    GroupDisparity.Result r = GroupDisparity.of(predicted, labels, groups, 3, 3);
    // P(ŷ=c|g0) = (1, 0, 0); P(ŷ=c|g1) = (0, 1/3, 2/3): gaps 1, 1/3, 2/3
    assertEquals(1.0, r.demographicParityGap(), 1e-12);
    assertEquals(0, r.demographicParityClass());
    assertTrue(Double.isNaN(r.groupAccuracy()[2]));
    // accuracy g0 1/2, g1 2/3
    assertEquals(2.0 / 3 - 0.5, r.accuracyGap(), 1e-12);
    // class 0: TPR g0 1/1, g1 0/1 -> 1
    assertEquals(1.0, r.equalisedOddsGap(), 1e-12);
    Map<String, Double> m = new LinkedHashMap<>();
    r.putInto(m, List.of("a", "b", "c"));
    assertEquals(0.5, m.get("group.a.acc"), 1e-12);
    assertTrue(!m.containsKey("group.c.acc"), "an empty group has no accuracy");
    assertEquals(1.0, m.get("dp_gap"), 1e-12);
    assertEquals(1.0, m.get("eo_gap"), 1e-12);
  }

  @Test
  void oneGroupHasNoGap() {
    GroupDisparity.Result r =
        GroupDisparity.of(new int[] {0, 1}, new int[] {1, 1}, new int[] {0, 0}, 1, 2);
    assertEquals(0, r.demographicParityGap());
    assertEquals(0, r.equalisedOddsGap());
  }
}
