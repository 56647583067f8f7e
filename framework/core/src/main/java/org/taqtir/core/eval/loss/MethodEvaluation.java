package org.taqtir.core.eval.loss;

import java.util.List;
import java.util.Map;

/**
 * Everything the evaluation found for one student × method, over its seeds.
 *
 * @param student the student's name
 * @param architecture its description
 * @param method the method's name
 * @param baseline whether this is the label-only baseline the others are compared with
 * @param metrics metric key (see {@link LossCatalogue}) to mean ± std over seeds
 * @param perClassAccuracy mean accuracy per class over seeds
 * @param delta per-class Δ against the baseline with bootstrap intervals; null for the baseline
 * @param reliability the first seed's reliability diagram {@code {meanConfidence[], accuracy[]}}
 *     over non-empty bins
 * @param cascade the first seed's test cascade curve
 * @param chosen the first seed's test operating point at the τ chosen on validation
 * @param oracle the first seed's oracle deferral curve
 * @param targets the preservation targets and whether each was met (on seed means)
 */
public record MethodEvaluation(
    String student,
    String architecture,
    String method,
    boolean baseline,
    Map<String, Summary> metrics,
    double[] perClassAccuracy,
    LossMetrics.ClassDelta delta,
    double[][] reliability,
    List<Cascade.Point> cascade,
    Cascade.Point chosen,
    double[][] oracle,
    List<Targets.Result> targets) {

  /**
   * Returns a metric's mean.
   *
   * @param key the metric key
   * @return the mean over seeds, NaN when absent
   */
  public double mean(String key) {
    Summary s = metrics.get(key);
    return s == null ? Double.NaN : s.mean();
  }
}
