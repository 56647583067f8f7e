package org.taqtir.core.config;

import java.util.Objects;

/**
 * One weighted loss term of a method.
 *
 * @param strategy the strategy provider and its parameters
 * @param weight the factor the term's loss is multiplied by
 * @param fromEpoch first epoch (1-based) in which the term is active
 * @param untilEpoch last epoch (1-based) in which the term is active; 0 means the last epoch
 */
public record Term(PluginRef strategy, double weight, int fromEpoch, int untilEpoch) {

  /** Checks that the strategy is given and the window is well formed. */
  public Term {
    Objects.requireNonNull(strategy, "strategy");
    if (fromEpoch < 1 || untilEpoch < 0 || (untilEpoch > 0 && untilEpoch < fromEpoch)) {
      throw new IllegalArgumentException(
          "term epochs must satisfy 1 <= from_epoch <= until_epoch (or until_epoch 0), found "
              + fromEpoch
              + ".."
              + untilEpoch);
    }
  }

  /**
   * A term active in every epoch.
   *
   * @param strategy the strategy provider and its parameters
   * @param weight the factor the term's loss is multiplied by
   */
  public Term(PluginRef strategy, double weight) {
    this(strategy, weight, 1, 0);
  }

  /**
   * Tells whether the term is active in an epoch.
   *
   * @param epoch 1-based epoch
   * @return whether the term's loss is added in that epoch
   */
  public boolean activeIn(int epoch) {
    return epoch >= fromEpoch && (untilEpoch == 0 || epoch <= untilEpoch);
  }

  /**
   * Tells whether the term is active in every epoch.
   *
   * @return {@code true} for the default window
   */
  public boolean always() {
    return fromEpoch == 1 && untilEpoch == 0;
  }
}
