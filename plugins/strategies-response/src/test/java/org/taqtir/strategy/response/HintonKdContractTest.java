package org.taqtir.strategy.response;

import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class HintonKdContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new HintonKdProvider();
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return new Params(Map.of("temperature", 4.0, "alpha", 1.0, "standardize", false));
  }
}
