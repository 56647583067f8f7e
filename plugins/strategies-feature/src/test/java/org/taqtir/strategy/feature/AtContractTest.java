package org.taqtir.strategy.feature;

import ai.djl.ndarray.types.Shape;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class AtContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new AtProvider();
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
