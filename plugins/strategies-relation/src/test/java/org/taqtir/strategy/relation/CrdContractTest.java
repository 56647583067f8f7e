package org.taqtir.strategy.relation;

import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class CrdContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new CrdProvider();
  }

  /** A small queue keeps the contract's repeated steps fast. */
  @Override
  protected Params params() {
    return new Params(
        Map.of(
            "student_layer",
            "hidden1",
            "teacher_layer",
            "hidden1",
            "dim",
            16,
            "tau",
            0.07,
            "memory_mb",
            0.01));
  }
}
