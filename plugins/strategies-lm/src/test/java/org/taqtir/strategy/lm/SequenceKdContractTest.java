package org.taqtir.strategy.lm;

import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class SequenceKdContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new SequenceKdProvider();
  }

  /** A cross-entropy against the (generated) labels: not 0 when the student equals the teacher. */
  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return null;
  }
}
