package org.taqtir.core.eval;

/**
 * A study's "what did we lose" evaluation as data (for classification, {@code LossReport}): what
 * the task's renderers turn into a Loss Statement and what the run store records. Written as {@code
 * loss-report.json} next to the statement.
 */
public interface StudyReport {

  /**
   * Returns the report's figures as flat metrics for the run store: one key per model and measure,
   * e.g. {@code loss/mlp-128/hinton-kd/agreement}, {@code loss/teacher/ece}.
   *
   * @return keys to finite values, possibly empty
   */
  default java.util.Map<String, Double> metrics() {
    return java.util.Map.of();
  }
}
