package org.taqtir.strategy.feature;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class VidContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new VidProvider();
  }

  /** A Gaussian negative log-likelihood without its constant: below 0 once σ² < 1 fits well. */
  @Override
  protected boolean nonNegative() {
    return false;
  }
}
