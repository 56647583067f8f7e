package org.taqtir.core.eval.loss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.core.config.EvaluationConfig;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.study.RunSummary;
import org.taqtir.core.study.TeacherPredictions;
import org.taqtir.core.train.TrainResult;

/**
 * Computes the "what did we lose" evaluation of every student × method against the teacher and the
 * label-only baseline of the same architecture (the method whose terms are all label-only; the
 * first such method). Per seed, then mean ± std over seeds; intervals are paired over seeds.
 */
public final class LossEvaluator {

  /** Metric keys and what they mean, for reports and preservation targets. */
  public static final Map<String, String> METRIC_DOCS = docs();

  private LossEvaluator() {}

  private static Map<String, String> docs() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("acc", "top-1 test accuracy");
    d.put("top5", "top-5 test accuracy");
    d.put("agreement", "top-1 agreement with the teacher (Stanton et al. 2021)");
    d.put("kl", "mean KL(teacher ‖ student) in nats");
    d.put("churn", "fraction of test predictions that differ between seeds (mean over pairs)");
    d.put("ece", "expected calibration error, 15 bins (Guo et al. 2017)");
    d.put("ece_ts", "ECE after temperature scaling fitted on validation");
    d.put("temperature", "the fitted temperature");
    d.put("mce", "maximum calibration error");
    d.put("nll", "negative log-likelihood");
    d.put("brier", "Brier score");
    d.put("overconfidence", "over-confident part of ECE");
    d.put("worst_class_acc", "lowest per-class accuracy");
    d.put("classes_harmed", "classes whose Δ vs baseline has its 95 % interval below 0");
    d.put("inherited", "P(student repeats the teacher's mistake, given the teacher is wrong)");
    d.put("negative_transfer", "P(student wrong, given teacher wrong and baseline right)");
    d.put("positive_transfer", "P(student right, given teacher right and baseline wrong)");
    for (String k : new String[] {"noise", "blur", "contrast", "rotation", "occlusion", "mean"}) {
      String what = k.equals("mean") ? "all 15 corrupted sets" : k + " (mean of 3 severities)";
      d.put("corruption." + k + ".acc", "accuracy under corruption, " + what);
      d.put("corruption." + k + ".acc_drop", "clean − corrupted accuracy, " + what);
      d.put("corruption." + k + ".acc_drop_vs_teacher", "acc_drop minus the teacher's, " + what);
      d.put("corruption." + k + ".ece", "ECE under corruption, " + what);
    }
    d.put("params", "trainable parameters");
    d.put("bytes", "parameter bytes (float32)");
    d.put("latency_1_ms", "median CPU latency, batch 1");
    d.put("latency_256_ms", "median CPU latency, batch 256");
    d.put("speedup_1", "teacher latency / student latency at batch 1");
    d.put("cascade.deferral", "fraction deferred to the teacher at the chosen τ (test)");
    d.put("cascade.acc", "cascade accuracy at the chosen τ (test)");
    d.put("cascade.cost_ms", "cascade mean cost per sample at batch 1 (test)");
    return d;
  }

  /**
   * Evaluates a study's runs.
   *
   * @param runs every run (failed ones are skipped)
   * @param teacher the teacher's predictions and costs
   * @param valLabels validation labels
   * @param testLabels test labels
   * @param classes number of classes
   * @param config the study's evaluation block
   * @return the report
   */
  public static LossReport evaluate(
      List<RunSummary> runs,
      TeacherPredictions teacher,
      int[] valLabels,
      int[] testLabels,
      int classes,
      EvaluationConfig config) {
    Predictions tTest = Predictions.of(teacher.testLogits(), classes, 1);
    Predictions tVal = Predictions.of(teacher.valLogits(), classes, 1);
    Map<String, Double> tm = new LinkedHashMap<>();
    tm.put("acc", Metrics.accuracy(teacher.testLogits(), testLabels, classes));
    tm.put("top5", LossMetrics.topK(tTest, testLabels, 5));
    LossMetrics.Calibration tc = LossMetrics.calibration(tTest, testLabels);
    putCalibration(tm, tc);
    double tT = LossMetrics.fitTemperature(teacher.valLogits(), valLabels, classes);
    tm.put("temperature", tT);
    tm.put(
        "ece_ts",
        LossMetrics.calibration(Predictions.of(teacher.testLogits(), classes, tT), testLabels)
            .ece());
    tm.put("worst_class_acc", min(LossMetrics.perClassAccuracy(tTest, testLabels)));
    tm.put("latency_1_ms", teacher.latencyBatch1Ms());
    tm.put("latency_256_ms", teacher.latencyBatch256Ms());
    if (teacher.parameterCount() >= 0) {
      tm.put("params", (double) teacher.parameterCount());
      tm.put("bytes", 4.0 * teacher.parameterCount());
    }
    putShift(tm, teacher.shiftedLogits(), testLabels, classes, tm.get("acc"));
    double target =
        Double.isNaN(config.targetAccuracy())
            ? Metrics.accuracy(teacher.valLogits(), valLabels, classes) - 0.005
            : config.targetAccuracy();
    Cascade.Rule rule = Cascade.Rule.of(config.cascadeRule());

    Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
    for (RunSummary r : runs) {
      if (r.result().ok() && r.result().extras() != null) {
        groups.computeIfAbsent(r.student() + "\u0000" + r.method(), k -> new ArrayList<>()).add(r);
      }
    }
    String baselineMethod = null;
    List<MethodEvaluation> out = new ArrayList<>();
    for (List<RunSummary> g : groups.values()) {
      List<RunSummary> base = baselineOf(groups, g.get(0));
      if (base != null && baselineMethod == null) {
        baselineMethod = base.get(0).method();
      }
      out.add(
          method(
              g,
              base,
              tTest,
              tVal,
              teacher,
              valLabels,
              testLabels,
              classes,
              config,
              rule,
              target,
              tm));
    }
    return new LossReport(
        tm, reliability(tc), baselineMethod, target, rule, config.bootstrap(), out);
  }

  /** The label-only runs of the same student, matched by seed, or null. */
  private static List<RunSummary> baselineOf(Map<String, List<RunSummary>> groups, RunSummary r) {
    for (List<RunSummary> g : groups.values()) {
      RunSummary first = g.get(0);
      if (first.student().equals(r.student()) && first.labelsOnly()) {
        return g;
      }
    }
    return null;
  }

  private static MethodEvaluation method(
      List<RunSummary> runs,
      List<RunSummary> base,
      Predictions tTest,
      Predictions tVal,
      TeacherPredictions teacher,
      int[] valLabels,
      int[] testLabels,
      int classes,
      EvaluationConfig config,
      Cascade.Rule rule,
      double target,
      Map<String, Double> teacherMetrics) {
    RunSummary first = runs.get(0);
    boolean isBaseline = base != null && base.get(0).method().equals(first.method());
    Map<String, List<Double>> values = new LinkedHashMap<>();
    List<Predictions> students = new ArrayList<>();
    List<Predictions> baselines = new ArrayList<>();
    double[] perClass = new double[classes];
    double[][] reliability = null;
    List<Cascade.Point> curve = null;
    Cascade.Point chosen = null;
    double[][] oracle = null;
    for (RunSummary r : runs) {
      TrainResult tr = r.result();
      Predictions s = Predictions.of(tr.testLogits(), classes, 1);
      Predictions sv = Predictions.of(tr.extras().valLogits(), classes, 1);
      students.add(s);
      double acc = Metrics.accuracy(tr.testLogits(), testLabels, classes);
      add(values, "acc", acc);
      add(values, "top5", LossMetrics.topK(s, testLabels, 5));
      add(values, "agreement", LossMetrics.agreement(s, tTest));
      add(values, "kl", LossMetrics.kl(tTest, s));
      LossMetrics.Calibration c = LossMetrics.calibration(s, testLabels);
      add(values, "ece", c.ece());
      add(values, "mce", c.mce());
      add(values, "nll", c.nll());
      add(values, "brier", c.brier());
      add(values, "overconfidence", c.overconfidence());
      double t = LossMetrics.fitTemperature(tr.extras().valLogits(), valLabels, classes);
      add(values, "temperature", t);
      add(
          values,
          "ece_ts",
          LossMetrics.calibration(Predictions.of(tr.testLogits(), classes, t), testLabels).ece());
      double[] pc = LossMetrics.perClassAccuracy(s, testLabels);
      add(values, "worst_class_acc", min(pc));
      for (int k = 0; k < classes; k++) {
        perClass[k] += pc[k] / runs.size();
      }
      add(values, "inherited", LossMetrics.inheritedErrors(s, tTest, testLabels).value());
      RunSummary b = base == null ? null : bySeed(base, r.seed());
      if (b != null && !isBaseline) {
        Predictions bp = Predictions.of(b.result().testLogits(), classes, 1);
        baselines.add(bp);
        add(
            values,
            "negative_transfer",
            LossMetrics.negativeTransfer(s, tTest, bp, testLabels).value());
        add(
            values,
            "positive_transfer",
            LossMetrics.positiveTransfer(s, tTest, bp, testLabels).value());
      }
      Map<String, Double> shift = new LinkedHashMap<>();
      putShift(shift, tr.extras().shiftedLogits(), testLabels, classes, acc);
      for (var e : shift.entrySet()) {
        add(values, e.getKey(), e.getValue());
        Double td = teacherMetrics.get(e.getKey());
        if (e.getKey().endsWith(".acc_drop") && td != null) {
          add(values, e.getKey() + "_vs_teacher", e.getValue() - td);
        }
      }
      add(values, "params", tr.parameterCount());
      add(values, "bytes", 4.0 * tr.parameterCount());
      double l1 = tr.extras().latencyBatch1Ms();
      add(values, "latency_1_ms", l1);
      add(values, "latency_256_ms", tr.extras().latencyBatch256Ms());
      add(values, "speedup_1", teacher.latencyBatch1Ms() / l1);
      // τ is chosen on validation, then applied to test.
      List<Cascade.Point> valCurve =
          Cascade.curve(sv, tVal, valLabels, rule, l1, teacher.latencyBatch1Ms());
      double tau = Cascade.chooseForAccuracy(valCurve, target).tau();
      Cascade.Point test =
          Cascade.at(s, tTest, testLabels, rule, tau, l1, teacher.latencyBatch1Ms());
      add(values, "cascade.deferral", test.deferral());
      add(values, "cascade.acc", test.accuracy());
      add(values, "cascade.cost_ms", test.costMs());
      if (reliability == null) {
        reliability = reliability(c);
        curve = Cascade.curve(s, tTest, testLabels, rule, l1, teacher.latencyBatch1Ms());
        chosen = test;
        oracle = Cascade.oracle(s, tTest, testLabels);
      }
    }
    if (students.size() > 1) {
      double churn = 0;
      int pairs = 0;
      for (int i = 0; i < students.size(); i++) {
        for (int j = i + 1; j < students.size(); j++) {
          churn += 1 - LossMetrics.agreement(students.get(i), students.get(j));
          pairs++;
        }
      }
      add(values, "churn", churn / pairs);
    }
    LossMetrics.ClassDelta delta = null;
    if (!baselines.isEmpty() && baselines.size() == students.size()) {
      delta =
          LossMetrics.classDelta(
              students.toArray(Predictions[]::new),
              baselines.toArray(Predictions[]::new),
              testLabels,
              config.bootstrap(),
              config.corruptionSeed());
      add(values, "classes_harmed", delta.harmed());
    }
    Map<String, Summary> metrics = new LinkedHashMap<>();
    Map<String, Double> means = new LinkedHashMap<>();
    for (var e : values.entrySet()) {
      Summary s = Summary.of(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
      metrics.put(e.getKey(), s);
      means.put(e.getKey(), s.mean());
    }
    List<Targets.Result> targets = new ArrayList<>();
    for (String t : config.targets()) {
      targets.add(Targets.check(Targets.parse(t), means, teacherMetrics));
    }
    return new MethodEvaluation(
        first.student(),
        first.architecture(),
        first.method(),
        isBaseline,
        metrics,
        perClass,
        delta,
        reliability,
        curve,
        chosen,
        oracle,
        targets);
  }

  private static RunSummary bySeed(List<RunSummary> runs, long seed) {
    return runs.stream().filter(r -> r.seed() == seed).findFirst().orElse(null);
  }

  /**
   * Robustness under shift: per corruption kind (mean over its severities) the accuracy, the drop
   * from clean accuracy and the ECE; keys {@code corruption.<kind>.acc|acc_drop|ece}, and {@code
   * corruption.mean.acc_drop} over all 15 shifted sets.
   */
  private static void putShift(
      Map<String, Double> m,
      Map<String, float[]> shifted,
      int[] labels,
      int classes,
      double clean) {
    if (shifted.isEmpty()) {
      return;
    }
    Map<String, double[]> byKind = new LinkedHashMap<>();
    double total = 0;
    for (var e : shifted.entrySet()) {
      String kind = e.getKey().substring(0, e.getKey().lastIndexOf('-'));
      Predictions p = Predictions.of(e.getValue(), classes, 1);
      double acc = Metrics.accuracy(e.getValue(), labels, classes);
      double ece = LossMetrics.calibration(p, labels).ece();
      double[] sums = byKind.computeIfAbsent(kind, k -> new double[3]);
      sums[0] += acc;
      sums[1] += ece;
      sums[2]++;
      total += acc;
    }
    for (var e : byKind.entrySet()) {
      double acc = e.getValue()[0] / e.getValue()[2];
      m.put("corruption." + e.getKey() + ".acc", acc);
      m.put("corruption." + e.getKey() + ".acc_drop", clean - acc);
      m.put("corruption." + e.getKey() + ".ece", e.getValue()[1] / e.getValue()[2]);
    }
    m.put("corruption.mean.acc_drop", clean - total / shifted.size());
  }

  private static void putCalibration(Map<String, Double> m, LossMetrics.Calibration c) {
    m.put("ece", c.ece());
    m.put("mce", c.mce());
    m.put("nll", c.nll());
    m.put("brier", c.brier());
    m.put("overconfidence", c.overconfidence());
  }

  private static double[][] reliability(LossMetrics.Calibration c) {
    List<double[]> pts = new ArrayList<>();
    for (int b = 0; b < c.binCount().length; b++) {
      if (c.binCount()[b] > 0) {
        pts.add(new double[] {c.binConfidence()[b], c.binAccuracy()[b]});
      }
    }
    double[][] out = new double[2][pts.size()];
    for (int i = 0; i < pts.size(); i++) {
      out[0][i] = pts.get(i)[0];
      out[1][i] = pts.get(i)[1];
    }
    return out;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        m = Math.min(m, x);
      }
    }
    return m;
  }

  private static void add(Map<String, List<Double>> m, String key, double v) {
    m.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
  }
}
