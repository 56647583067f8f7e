package org.taqtir.core.config;

import java.util.Objects;

/**
 * How trained models are selected and evaluated.
 *
 * @param test whether to evaluate the selected epoch on the test set
 * @param select the model-selection metric, computed on the validation split only; {@code
 *     "val_acc"} for now
 */
public record EvaluationConfig(boolean test, String select) {

  /** The only selection metric for now: validation accuracy. */
  public static final String VAL_ACC = "val_acc";

  /** Checks that the metric is given. */
  public EvaluationConfig {
    Objects.requireNonNull(select, "select");
  }
}
