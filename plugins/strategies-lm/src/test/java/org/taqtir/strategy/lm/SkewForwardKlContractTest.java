package org.taqtir.strategy.lm;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class SkewForwardKlContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new SkewForwardKlProvider();
  }
}
