package org.taqtir.core.config;

import java.util.Map;

/**
 * A study's {@code evaluation:} block as its task resolved it (for classification, {@link
 * EvaluationConfig}). The core reads the few settings every task has; the rest is the task's.
 */
public interface EvaluationSpec {

  /**
   * Tells whether the selected weights are evaluated on the test split.
   *
   * @return whether to read the test split (once per run)
   */
  boolean test();

  /**
   * Returns the validation metric that selects a run's epoch.
   *
   * @return {@code val_acc} or {@code val_loss}
   */
  String select();

  /**
   * Tells whether the task's "what did we lose" evaluation runs and its statement is written.
   *
   * @return whether to evaluate what distillation lost
   */
  boolean lossStatement();

  /**
   * Tells whether a study whose preservation targets are not all met fails.
   *
   * @return whether missed targets make the study's exit code 1
   */
  boolean failOnTargets();

  /**
   * Returns the block as written in {@code study.resolved.yaml}.
   *
   * @return keys in study-file spelling to plain values
   */
  Map<String, Object> toYaml();
}
