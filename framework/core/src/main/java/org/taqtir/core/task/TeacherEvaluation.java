package org.taqtir.core.task;

import java.util.Map;
import org.taqtir.core.eval.RunOutputs;

/**
 * What the task measured of the teacher.
 *
 * @param valAcc validation accuracy
 * @param testAcc test accuracy, NaN when the study does not evaluate on test
 * @param metrics every metric by key ({@code val/acc}, {@code test/acc}, ...)
 * @param predictions the teacher's predictions the study's evaluation compares students with;
 *     {@code null} when the study has no loss statement
 */
public record TeacherEvaluation(
    double valAcc, double testAcc, Map<String, Double> metrics, RunOutputs predictions) {

  /** Copies the metrics. */
  public TeacherEvaluation {
    metrics = Map.copyOf(metrics);
  }
}
