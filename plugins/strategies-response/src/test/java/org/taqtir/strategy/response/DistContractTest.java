package org.taqtir.strategy.response;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class DistContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new DistProvider();
  }
}
