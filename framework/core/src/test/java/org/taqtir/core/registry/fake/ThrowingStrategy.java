package org.taqtir.core.registry.fake;

import org.taqtir.api.ParamSpec;

/** A provider whose constructor throws, as one needing a missing native library would. */
public class ThrowingStrategy extends FakeStrategy {

  /** Always throws. */
  public ThrowingStrategy() {
    super("throwing", ParamSpec.EMPTY);
    throw new IllegalStateException("native library libfoo.so not found");
  }
}
