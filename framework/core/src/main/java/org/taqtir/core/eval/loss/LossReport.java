package org.taqtir.core.eval.loss;

import java.util.List;
import java.util.Map;

/**
 * The study-level result of the "what did we lose" evaluation, from which the Distillation Loss
 * Statement is written.
 *
 * @param teacherMetrics the teacher's metrics (same keys as the students' where they apply)
 * @param teacherReliability the teacher's reliability diagram {@code {meanConfidence[],
 *     accuracy[]}}
 * @param baselineMethod the method used as the label-only baseline, or null when the study has none
 * @param targetAccuracy the accuracy the cascade threshold was chosen for (on validation)
 * @param rule the cascade's confidence rule
 * @param bootstrap bootstrap resamples behind the per-class intervals
 * @param methods one entry per student × method
 * @param cascadeChoice how τ was chosen on validation, as a phrase ("to reach 88.60 % validation
 *     accuracy", or a cost or deferral budget)
 * @param omittedClasses the classes left out of the students' transfer set (the omitted-class
 *     probe), empty when none
 * @param comparisons every pair of methods of the same student, paired across seeds
 */
public record LossReport(
    Map<String, Double> teacherMetrics,
    double[][] teacherReliability,
    String baselineMethod,
    double targetAccuracy,
    Cascade.Rule rule,
    int bootstrap,
    List<MethodEvaluation> methods,
    String cascadeChoice,
    List<Integer> omittedClasses,
    List<Comparison> comparisons)
    implements org.taqtir.core.eval.StudyReport {

  /**
   * Returns the teacher's metrics and every method's mean and standard deviation over seeds.
   *
   * @return {@code loss/teacher/<metric>}, {@code loss/<student>/<method>/<metric>} (mean) and
   *     {@code loss/<student>/<method>/<metric>.std}; non-finite values left out
   */
  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    teacherMetrics.forEach((k, v) -> put(out, "loss/teacher/" + k, v));
    for (MethodEvaluation m : methods) {
      String p = "loss/" + m.student() + "/" + m.method() + "/";
      m.metrics()
          .forEach(
              (k, v) -> {
                put(out, p + k, v.mean());
                put(out, p + k + ".std", v.std());
              });
    }
    return out;
  }

  private static void put(Map<String, Double> out, String key, Double value) {
    if (value != null && Double.isFinite(value)) {
      out.put(key, value);
    }
  }
}
