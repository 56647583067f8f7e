package org.taqtir.strategy.lm;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class UldContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new UldProvider();
  }

  /** Sorting a top-k teacher's k + 1 buckets is not sorting its distribution: refused. */
  @Override
  protected boolean acceptsTopK() {
    return false;
  }
}
