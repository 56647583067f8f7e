package org.taqtir.strategy.lm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class HiddenStateContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new HiddenStateProvider();
  }

  /** The cosine form, the one that is not the default. */
  @Override
  protected Params params() {
    Map<String, Object> v = new LinkedHashMap<>(provider().params().defaults().values());
    v.put("loss", "cosine");
    return new Params(v);
  }

  /** A learnt projection of the student's state: it does not vanish when outputs agree. */
  @Override
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return null;
  }
}
