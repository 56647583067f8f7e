package org.taqtir.core.registry.fake;

import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Range;

/** {@code hinton-kd}: temperature (4, &gt; 0) and alpha (0.9, in [0, 1]). */
public class FakeKdStrategy extends FakeStrategy {

  /** Creates the fake. */
  public FakeKdStrategy() {
    super(
        "hinton-kd",
        ParamSpec.of(
            ParamDef.ofDouble("temperature", 4.0, Range.greaterThan(0), "softmax temperature"),
            ParamDef.ofDouble("alpha", 0.9, Range.closed(0, 1), "weight of the soft term")));
  }
}
