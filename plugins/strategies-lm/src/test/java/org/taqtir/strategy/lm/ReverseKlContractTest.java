package org.taqtir.strategy.lm;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class ReverseKlContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new ReverseKlProvider();
  }
}
