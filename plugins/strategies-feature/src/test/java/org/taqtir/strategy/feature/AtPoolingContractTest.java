package org.taqtir.strategy.feature;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

/**
 * AT with a teacher map larger than the student's, so the teacher's map is average-pooled by the
 * run-long pooling matrices: the contract's leak check covers that path too.
 */
class AtPoolingContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new AtProvider();
  }

  @Override
  protected Params params() {
    return provider()
        .params()
        .resolve(
            "at", Map.of("student_layer", "block2", "teacher_layer", "block1"), "strategies[0]");
  }

  @Override
  protected Shape featureShape(String tap) {
    return tap.equals("block1") ? new Shape(2, 8, 10) : new Shape(3, 4, 5);
  }
}
