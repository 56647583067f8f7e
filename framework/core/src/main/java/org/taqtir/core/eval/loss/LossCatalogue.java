package org.taqtir.core.eval.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.taqtir.core.eval.Metrics;

/**
 * Every metric of the classification "what did we lose" evaluation, declared once: its key, a
 * one-line doc and the function that computes it from one run's view ({@link RunView}), as Tribuo's
 * {@code LabelMetrics} declares its metrics. {@link LossEvaluator} computes the per-run metrics in
 * catalogue order; the statement, the run store and preservation targets read the same keys and
 * docs. Families whose keys depend on the data (corruptions, groups, omitted classes) and the
 * study-level aggregates (over seeds) are documented here and computed by the evaluator.
 */
public final class LossCatalogue {

  /**
   * One per-run metric.
   *
   * @param key the metric key
   * @param doc one line saying what it measures
   * @param value how it is computed from a run's view
   */
  public record Metric(String key, String doc, ToDoubleFunction<RunView> value) {}

  /** Test accuracy, fidelity to the teacher, calibration, the weakest class, inherited errors. */
  public static final List<Metric> QUALITY =
      List.of(
          m("acc", "top-1 test accuracy", RunView::acc),
          m("top5", "top-5 test accuracy", v -> LossMetrics.topK(v.student(), v.labels(), 5)),
          m(
              "agreement",
              "top-1 agreement with the teacher (Stanton et al. 2021)",
              v -> LossMetrics.agreement(v.student(), v.teacher())),
          m(
              "kl",
              "mean KL(teacher ‖ student) in nats",
              v -> LossMetrics.kl(v.teacher(), v.student())),
          m(
              "ece",
              "expected calibration error, 15 bins (Guo et al. 2017)",
              v -> v.calibration().ece()),
          m("mce", "maximum calibration error", v -> v.calibration().mce()),
          m("nll", "negative log-likelihood", v -> v.calibration().nll()),
          m("brier", "Brier score", v -> v.calibration().brier()),
          m("overconfidence", "over-confident part of ECE", v -> v.calibration().overconfidence()),
          m(
              "underconfidence",
              "under-confident part of ECE (ece − overconfidence)",
              v -> v.calibration().underconfidence()),
          m("temperature", "the fitted temperature", RunView::temperature),
          m("ece_ts", "ECE after temperature scaling fitted on validation", RunView::eceScaled),
          m("worst_class_acc", "lowest per-class accuracy", v -> min(v.perClass())),
          m(
              "inherited",
              "P(student repeats the teacher's mistake, given the teacher is wrong)",
              v -> LossMetrics.inheritedErrors(v.student(), v.teacher(), v.labels()).value()));

  /** Against the label-only twin of the same seed (only where there is one). */
  public static final List<Metric> PAIRED =
      List.of(
          m(
              "acc_delta",
              "paired Δ test accuracy vs the label-only baseline, per seed pair",
              v -> v.acc() - Metrics.accuracy(v.baselineLogits(), v.labels(), v.classes())),
          m(
              "negative_transfer",
              "P(student wrong, given teacher wrong and baseline right)",
              v ->
                  LossMetrics.negativeTransfer(v.student(), v.teacher(), v.baseline(), v.labels())
                      .value()),
          m(
              "positive_transfer",
              "P(student right, given teacher right and baseline wrong)",
              v ->
                  LossMetrics.positiveTransfer(v.student(), v.teacher(), v.baseline(), v.labels())
                      .value()));

  /** What the student costs, against the teacher. */
  public static final List<Metric> COST =
      List.of(
          m("params", "trainable parameters", v -> v.outputs().parameterCount()),
          m("bytes", "parameter bytes (float32)", v -> 4.0 * v.outputs().parameterCount()),
          m("latency_1_ms", "median CPU latency, batch 1", v -> v.outputs().latencyBatch1Ms()),
          m(
              "latency_256_ms",
              "median CPU latency, batch 256",
              v -> v.outputs().latencyBatch256Ms()),
          m(
              "speedup_1",
              "teacher latency / student latency at batch 1",
              v -> v.teacherOutputs().latencyBatch1Ms() / v.outputs().latencyBatch1Ms()),
          m(
              "speedup_256",
              "teacher latency / student latency at batch 256",
              v -> v.teacherOutputs().latencyBatch256Ms() / v.outputs().latencyBatch256Ms()));

  /** The cascade with teacher fallback at the threshold chosen on validation, on test. */
  public static final List<Metric> CASCADE =
      List.of(
          m(
              "cascade.deferral",
              "fraction deferred to the teacher at the chosen τ (test)",
              v -> v.cascade().deferral()),
          m("cascade.acc", "cascade accuracy at the chosen τ (test)", v -> v.cascade().accuracy()),
          m(
              "cascade.cost_ms",
              "cascade mean cost per sample at batch 1 (test)",
              v -> v.cascade().costMs()),
          m(
              "cascade.oracle_acc",
              "oracle deferral's accuracy at the same deferral rate (test)",
              v -> Cascade.oracleAt(v.student(), v.teacher(), v.labels(), v.cascade().deferral())),
          m(
              "cascade.random_acc",
              "random deferral's expected accuracy at the same rate (test)",
              v -> Cascade.randomAt(v.student(), v.teacher(), v.labels(), v.cascade().deferral())));

  /** Metric keys and what they mean, for reports and preservation targets. */
  public static final Map<String, String> DOCS = docs();

  private LossCatalogue() {}

  private static Metric m(String key, String doc, ToDoubleFunction<RunView> value) {
    return new Metric(key, doc, value);
  }

  private static Map<String, String> docs() {
    Map<String, String> d = new LinkedHashMap<>();
    for (List<Metric> group : List.of(QUALITY, PAIRED)) {
      group.forEach(x -> d.put(x.key(), x.doc()));
    }
    d.put("churn", "fraction of test predictions that differ between seeds (mean over pairs)");
    d.put("acc_delta_lo", "2.5th percentile of Δ accuracy (paired bootstrap over samples)");
    d.put("acc_delta_hi", "97.5th percentile of Δ accuracy (paired bootstrap over samples)");
    d.put("classes_harmed", "classes whose Δ vs baseline has its 95 % interval below 0");
    for (String k : new String[] {"noise", "blur", "contrast", "rotation", "occlusion", "mean"}) {
      String what = k.equals("mean") ? "all 15 corrupted sets" : k + " (mean of 3 severities)";
      d.put("corruption." + k + ".acc", "accuracy under corruption, " + what);
      d.put("corruption." + k + ".acc_drop", "clean − corrupted accuracy, " + what);
      d.put("corruption." + k + ".acc_drop_vs_teacher", "acc_drop minus the teacher's, " + what);
      d.put("corruption." + k + ".ece", "ECE under corruption, " + what);
      if (!k.equals("mean")) {
        d.put("corruption." + k + ".ece_vs_teacher", "ECE minus the teacher's, " + what);
      }
    }
    d.put("group_acc_gap", "largest minus smallest per-group test accuracy");
    d.put("worst_group_acc", "lowest per-group test accuracy");
    d.put(
        "dp_gap",
        "demographic-parity gap: max over classes c of max_g P(ŷ=c|g) − min_g P(ŷ=c|g)"
            + " (two classes: the positive-class gap)");
    d.put(
        "eo_gap",
        "equalised-odds gap: max over classes of the larger of the TPR and FPR gaps across"
            + " groups (one-vs-rest)");
    for (List<Metric> group : List.of(COST, CASCADE)) {
      group.forEach(x -> d.put(x.key(), x.doc()));
    }
    return java.util.Collections.unmodifiableMap(d);
  }

  /**
   * Describes a metric key, including the per-group and per-class keys of the data-dependent
   * families.
   *
   * @param key a metric key
   * @return its description, empty when unknown
   */
  public static String doc(String key) {
    String known = DOCS.get(key);
    if (known != null) {
      return known;
    }
    if (key.startsWith("group.") && key.endsWith(".acc")) {
      return "test accuracy of group "
          + key.substring("group.".length(), key.length() - ".acc".length());
    }
    if (key.startsWith("omitted.")) {
      String rest = key.substring(key.lastIndexOf('.') + 1);
      return switch (rest) {
        case "acc" -> "test accuracy on the omitted class (Hinton et al. 2015)";
        case "acc_corrected" -> "the same after the validation-chosen bias correction";
        case "overall_acc_corrected" -> "overall test accuracy after the bias correction";
        case "bias" -> "bias added to the omitted class's logit (chosen on validation)";
        case "val_freq" -> "predicted frequency of the omitted class on validation";
        case "val_freq_corrected" -> "the same after the bias correction";
        default -> "";
      };
    }
    return "";
  }

  /** The smallest value that is not NaN. */
  static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        m = Math.min(m, x);
      }
    }
    return m;
  }
}
