package org.taqtir.core.config;

import java.util.Objects;

/**
 * One weighted loss term of a method.
 *
 * @param strategy the strategy provider and its parameters
 * @param weight the factor the term's loss is multiplied by
 */
public record Term(PluginRef strategy, double weight) {

  /** Checks that the strategy is given. */
  public Term {
    Objects.requireNonNull(strategy, "strategy");
  }
}
