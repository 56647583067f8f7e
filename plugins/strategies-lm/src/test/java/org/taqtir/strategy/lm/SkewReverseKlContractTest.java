package org.taqtir.strategy.lm;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class SkewReverseKlContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new SkewReverseKlProvider();
  }
}
