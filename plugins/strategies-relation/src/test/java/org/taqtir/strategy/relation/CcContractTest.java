package org.taqtir.strategy.relation;

import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class CcContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new CcProvider();
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }
}
