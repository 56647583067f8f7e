package org.taqtir.strategy.response;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class NkdContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new NkdProvider();
  }
}
