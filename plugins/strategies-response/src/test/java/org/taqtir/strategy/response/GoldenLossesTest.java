package org.taqtir.strategy.response;

import org.junit.jupiter.api.Test;
import org.taqtir.testkit.GoldenLosses;

/** Every loss against the NumPy implementation in framework/testkit/golden, to 1e-5. */
class GoldenLossesTest {

  @Test
  void lossesMatchTheIndependentNumPyImplementation() {
    GoldenLosses.assertMatches(GoldenLossesTest.class, "/golden/losses.json");
  }
}
