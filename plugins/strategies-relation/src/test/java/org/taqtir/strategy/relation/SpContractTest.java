package org.taqtir.strategy.relation;

import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class SpContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new SpProvider();
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }
}
