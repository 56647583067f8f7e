package org.example.taqtir;

import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.StrategyContractTest;

class TeacherHardLabelsContractTest extends StrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new TeacherHardLabelsProvider();
  }
}
