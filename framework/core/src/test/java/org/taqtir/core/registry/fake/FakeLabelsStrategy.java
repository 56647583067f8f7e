package org.taqtir.core.registry.fake;

import org.taqtir.api.ParamSpec;

/** {@code labels-only}: no parameters. */
public class FakeLabelsStrategy extends FakeStrategy {

  /** Creates the fake. */
  public FakeLabelsStrategy() {
    super("labels-only", ParamSpec.EMPTY);
  }
}
