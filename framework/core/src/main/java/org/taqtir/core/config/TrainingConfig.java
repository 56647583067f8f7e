package org.taqtir.core.config;

import java.util.Objects;

/**
 * How one model is trained.
 *
 * @param epochs number of epochs, &gt;= 1 (default 10)
 * @param batchSize samples per optimisation step, &gt;= 1 (default 128)
 * @param optimizer the optimiser (default sgd)
 * @param schedule the learning-rate schedule (default constant)
 */
public record TrainingConfig(
    int epochs, int batchSize, OptimizerConfig optimizer, ScheduleConfig schedule) {

  /** Checks that no reference is {@code null}. */
  public TrainingConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
  }

  /**
   * The defaults: 10 epochs, batch 128, sgd (lr 0.05, momentum 0.9), constant schedule.
   *
   * @return the default training
   */
  public static TrainingConfig defaults() {
    return new TrainingConfig(
        10, 128, OptimizerConfig.defaults(OptimizerConfig.SGD), ScheduleConfig.constant());
  }
}
