package org.taqtir.core.registry.fake;

import org.taqtir.api.ParamSpec;

/** A provider whose id is 64 characters long, one too many. */
public class LongIdStrategy extends FakeStrategy {

  /** Creates the fake. */
  public LongIdStrategy() {
    super("a".repeat(64), ParamSpec.EMPTY);
  }
}
