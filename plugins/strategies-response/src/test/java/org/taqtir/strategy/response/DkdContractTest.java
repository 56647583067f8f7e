package org.taqtir.strategy.response;

import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class DkdContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new DkdProvider();
  }

  @Override
  protected Params params() {
    return new Params(
        Map.of(
            "alpha",
            1.0,
            "beta",
            8.0,
            "temperature",
            4.0,
            "warmup_epochs",
            0,
            "standardize",
            false));
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }
}
