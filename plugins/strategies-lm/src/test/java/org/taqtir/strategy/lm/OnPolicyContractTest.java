package org.taqtir.strategy.lm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.testkit.SequenceStrategyContractTest;

class OnPolicyContractTest extends SequenceStrategyContractTest {

  @Override
  protected StrategyProvider provider() {
    return new OnPolicyProvider();
  }

  /** Reverse KL, the other divergence on-policy training is usually run with. */
  @Override
  protected Params params() {
    Map<String, Object> v = new LinkedHashMap<>(provider().params().defaults().values());
    v.put("divergence", "reverse-kl");
    return new Params(v);
  }
}
