package org.taqtir.core.registry.fake;

import org.taqtir.api.ParamSpec;

/** A provider whose id breaks the id rule. */
public class BadIdStrategy extends FakeStrategy {

  /** Creates the fake. */
  public BadIdStrategy() {
    super("Hinton_KD", ParamSpec.EMPTY);
  }
}
