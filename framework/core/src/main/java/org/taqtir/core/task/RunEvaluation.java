package org.taqtir.core.task;

import java.util.Map;
import org.taqtir.core.eval.RunOutputs;

/**
 * What the task measured of a student's selected weights.
 *
 * @param metrics test metrics by key ({@code test/acc} is the run's test accuracy)
 * @param outputs the predictions the study's evaluation reads
 */
public record RunEvaluation(Map<String, Double> metrics, RunOutputs outputs) {

  /** Copies the metrics. */
  public RunEvaluation {
    metrics = Map.copyOf(metrics);
  }
}
