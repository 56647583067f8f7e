package org.taqtir.core.train;

import java.util.List;
import org.taqtir.core.run.EpochMetrics;

/**
 * Which epoch's weights a run keeps: the one with the best value of a validation metric (the first
 * such epoch on ties). Computed on the validation split only, never on test.
 *
 * @param key the metric, {@value #VAL_ACC} or {@value #VAL_LOSS}
 * @param maximize whether larger is better
 */
public record Selection(String key, boolean maximize) {

  /** Validation accuracy, larger is better. */
  public static final String VAL_ACC = "val_acc";

  /** Validation loss (the task's own loss, e.g. cross-entropy per token), smaller is better. */
  public static final String VAL_LOSS = "val_loss";

  /** Every metric a study may select on. */
  public static final List<String> KEYS = List.of(VAL_ACC, VAL_LOSS);

  /**
   * Returns the selection for a metric key.
   *
   * @param key {@value #VAL_ACC} or {@value #VAL_LOSS}
   * @return the selection
   * @throws IllegalArgumentException for another key
   */
  public static Selection of(String key) {
    return switch (key) {
      case VAL_ACC -> new Selection(VAL_ACC, true);
      case VAL_LOSS -> new Selection(VAL_LOSS, false);
      default ->
          throw new IllegalArgumentException(
              "selection metric must be one of " + KEYS + ", found " + key);
    };
  }

  /**
   * Returns the value an epoch scores.
   *
   * @param m the epoch's metrics
   * @return its validation accuracy or loss
   */
  public double value(EpochMetrics m) {
    return maximize ? m.valAcc() : m.valLoss();
  }

  /**
   * Returns the value no epoch can fail to beat.
   *
   * @return −∞ when maximising, +∞ when minimising
   */
  public double worst() {
    return maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /**
   * Tells whether a value is strictly better than the best so far.
   *
   * @param value the candidate
   * @param best the best so far
   * @return whether the candidate replaces it
   */
  public boolean better(double value, double best) {
    return maximize ? value > best : value < best;
  }
}
