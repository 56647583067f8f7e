package org.taqtir.strategy.feature;

import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class PktContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new PktProvider();
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }
}
