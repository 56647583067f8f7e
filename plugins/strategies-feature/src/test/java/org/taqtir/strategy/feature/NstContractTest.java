package org.taqtir.strategy.feature;

import ai.djl.ndarray.types.Shape;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class NstContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new NstProvider();
  }

  @Override
  protected Shape featureShape(String tap) {
    return new Shape(3, 4, 5);
  }

  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }
}
