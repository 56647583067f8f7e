package org.taqtir.strategy.feature;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class FitNetsContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new FitNetsProvider();
  }

  @Override
  protected int featureWidth(String tap) {
    return 7;
  }
}
