package org.taqtir.strategy.relation;

import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class RkdContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new RkdProvider();
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }
}
