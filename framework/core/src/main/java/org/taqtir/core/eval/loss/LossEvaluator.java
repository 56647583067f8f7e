package org.taqtir.core.eval.loss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.core.config.EvaluationConfig;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TrainResult;

/**
 * Computes the "what did we lose" evaluation of every student × method against the teacher and the
 * label-only baseline of the same architecture (the method whose terms are all label-only; the
 * first such method). Per seed, then mean ± std over seeds; intervals are paired over seeds.
 */
public final class LossEvaluator {

  private LossEvaluator() {}

  /**
   * Describes a metric key ({@link LossCatalogue#doc}).
   *
   * @param key a metric key
   * @return its description, empty when unknown
   */
  public static String doc(String key) {
    return LossCatalogue.doc(key);
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
      ModelOutputs teacher,
      int[] valLabels,
      int[] testLabels,
      int classes,
      EvaluationConfig config) {
    return evaluate(runs, teacher, valLabels, testLabels, classes, config, List.of());
  }

  /**
   * Evaluates a study's runs, with the omitted-class probe ({@link OmittedClass}) for each class
   * the students' transfer set left out.
   *
   * @param runs every run (failed ones are skipped)
   * @param teacher the teacher's predictions and costs
   * @param valLabels validation labels
   * @param testLabels test labels
   * @param classes number of classes
   * @param config the study's evaluation block
   * @param omitted the classes removed from the students' training split, empty for none
   * @return the report
   */
  public static LossReport evaluate(
      List<RunSummary> runs,
      ModelOutputs teacher,
      int[] valLabels,
      int[] testLabels,
      int classes,
      EvaluationConfig config,
      List<Integer> omitted) {
    return evaluate(runs, teacher, valLabels, testLabels, classes, config, omitted, null);
  }

  /**
   * Evaluates a study's runs, with the omitted-class probe and, when the test split has groups, the
   * group-disparity metrics ({@link GroupDisparity}) of the teacher and every student.
   *
   * @param runs every run (failed ones are skipped)
   * @param teacher the teacher's predictions and costs
   * @param valLabels validation labels
   * @param testLabels test labels
   * @param classes number of classes
   * @param config the study's evaluation block
   * @param omitted the classes removed from the students' training split, empty for none
   * @param testGroups the test samples' groups, or {@code null} when the data has none
   * @return the report
   */
  public static LossReport evaluate(
      List<RunSummary> runs,
      ModelOutputs teacher,
      int[] valLabels,
      int[] testLabels,
      int classes,
      EvaluationConfig config,
      List<Integer> omitted,
      GroupDisparity.Groups testGroups) {
    Predictions tTest = Predictions.of(teacher.testLogits(), classes, 1);
    Predictions tVal = Predictions.of(teacher.valLogits(), classes, 1);
    Map<String, Double> tm = new LinkedHashMap<>();
    tm.put("acc", Metrics.accuracy(teacher.testLogits(), testLabels, classes));
    tm.put("top5", LossMetrics.topK(tTest, testLabels, 5));
    LossMetrics.Calibration tc = LossMetrics.calibration(tTest, testLabels);
    putCalibration(tm, tc);
    double[] tClass = LossMetrics.perClassAccuracy(tTest, testLabels);
    for (int k : omitted) {
      tm.put("omitted." + k + ".acc", tClass[k]);
      tm.put("omitted." + k + ".val_freq", frequency(tVal, k));
    }
    double tT = LossMetrics.fitTemperature(teacher.valLogits(), valLabels, classes);
    tm.put("temperature", tT);
    tm.put(
        "ece_ts",
        LossMetrics.calibration(Predictions.of(teacher.testLogits(), classes, tT), testLabels)
            .ece());
    tm.put("worst_class_acc", LossCatalogue.min(tClass));
    if (testGroups != null) {
      GroupDisparity.of(
              tTest.argmax(), testLabels, testGroups.groups(), testGroups.names().size(), classes)
          .putInto(tm, testGroups.names());
    }
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
    String choice;
    if (!Double.isNaN(config.cascadeBudget())) {
      choice =
          String.format(
              java.util.Locale.ROOT,
              "for the highest validation accuracy at a mean cost of at most %.2f × the teacher's"
                  + " (%.4f ms per sample)",
              config.cascadeBudget(),
              config.cascadeBudget() * teacher.latencyBatch1Ms());
    } else if (!Double.isNaN(config.cascadeMaxDeferral())) {
      choice =
          String.format(
              java.util.Locale.ROOT,
              "for the highest validation accuracy deferring at most %.2f %% of samples",
              100 * config.cascadeMaxDeferral());
    } else {
      choice =
          String.format(
              java.util.Locale.ROOT, "to reach %.2f %% validation accuracy", 100 * target);
    }

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
              tm,
              omitted,
              testGroups));
    }
    List<Comparison> comparisons =
        compare(groups, testLabels, classes, config.bootstrap(), config.corruptionSeed());
    return new LossReport(
        tm,
        reliability(tc),
        baselineMethod,
        target,
        rule,
        config.bootstrap(),
        out,
        choice,
        List.copyOf(omitted),
        comparisons);
  }

  /**
   * Every pair of methods of the same student, compared on the seeds both have (paired by seed and
   * by test sample).
   */
  private static List<Comparison> compare(
      Map<String, List<RunSummary>> groups,
      int[] testLabels,
      int classes,
      int resamples,
      long seed) {
    List<Comparison> out = new ArrayList<>();
    List<List<RunSummary>> g = new ArrayList<>(groups.values());
    for (int i = 0; i < g.size(); i++) {
      for (int j = i + 1; j < g.size(); j++) {
        RunSummary a0 = g.get(i).get(0);
        RunSummary b0 = g.get(j).get(0);
        if (!a0.student().equals(b0.student())) {
          continue;
        }
        List<Predictions> pa = new ArrayList<>();
        List<Predictions> pb = new ArrayList<>();
        List<Double> deltas = new ArrayList<>();
        for (RunSummary a : g.get(i)) {
          RunSummary b = bySeed(g.get(j), a.seed());
          if (b == null) {
            continue;
          }
          pa.add(Predictions.of(a.result().testLogits(), classes, 1));
          pb.add(Predictions.of(b.result().testLogits(), classes, 1));
          deltas.add(
              Metrics.accuracy(a.result().testLogits(), testLabels, classes)
                  - Metrics.accuracy(b.result().testLogits(), testLabels, classes));
        }
        if (pa.isEmpty()) {
          continue;
        }
        LossMetrics.Interval d =
            LossMetrics.accuracyDelta(
                pa.toArray(Predictions[]::new),
                pb.toArray(Predictions[]::new),
                testLabels,
                resamples,
                seed);
        out.add(
            new Comparison(
                a0.student(),
                a0.method(),
                b0.method(),
                Summary.of(deltas.stream().mapToDouble(Double::doubleValue).toArray()),
                d.lo(),
                d.hi()));
      }
    }
    return out;
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
      ModelOutputs teacher,
      int[] valLabels,
      int[] testLabels,
      int classes,
      EvaluationConfig config,
      Cascade.Rule rule,
      double target,
      Map<String, Double> teacherMetrics,
      List<Integer> omitted,
      GroupDisparity.Groups groups) {
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
      RunSummary b = base == null ? null : bySeed(base, r.seed());
      boolean paired = b != null && !isBaseline;
      RunView v =
          new RunView(
              tr.extras(),
              teacher,
              tTest,
              paired ? b.result().testLogits() : null,
              valLabels,
              testLabels,
              classes);
      Predictions s = v.student();
      Predictions sv = Predictions.of(tr.extras().valLogits(), classes, 1);
      students.add(s);
      for (LossCatalogue.Metric m : LossCatalogue.QUALITY) {
        add(values, m.key(), m.value().applyAsDouble(v));
      }
      double[] pc = v.perClass();
      for (int k = 0; k < classes; k++) {
        perClass[k] += pc[k] / runs.size();
      }
      if (groups != null) {
        Map<String, Double> gm = new LinkedHashMap<>();
        GroupDisparity.of(s.argmax(), testLabels, groups.groups(), groups.names().size(), classes)
            .putInto(gm, groups.names());
        gm.forEach((k, x) -> add(values, k, x));
      }
      if (paired) {
        baselines.add(v.baseline());
        for (LossCatalogue.Metric m : LossCatalogue.PAIRED) {
          add(values, m.key(), m.value().applyAsDouble(v));
        }
      }
      Map<String, Double> shift = new LinkedHashMap<>();
      putShift(shift, tr.extras().shiftedLogits(), testLabels, classes, v.acc());
      for (var e : shift.entrySet()) {
        add(values, e.getKey(), e.getValue());
        Double td = teacherMetrics.get(e.getKey());
        if ((e.getKey().endsWith(".acc_drop") || e.getKey().endsWith(".ece")) && td != null) {
          add(values, e.getKey() + "_vs_teacher", e.getValue() - td);
        }
      }
      for (LossCatalogue.Metric m : LossCatalogue.COST) {
        add(values, m.key(), m.value().applyAsDouble(v));
      }
      // τ is chosen on validation, then applied to test.
      double l1 = tr.extras().latencyBatch1Ms();
      List<Cascade.Point> valCurve =
          Cascade.curve(sv, tVal, valLabels, rule, l1, teacher.latencyBatch1Ms());
      double tau = choose(valCurve, config, target, teacher.latencyBatch1Ms()).tau();
      Cascade.Point test =
          Cascade.at(s, tTest, testLabels, rule, tau, l1, teacher.latencyBatch1Ms());
      v.cascade(test);
      for (LossCatalogue.Metric m : LossCatalogue.CASCADE) {
        add(values, m.key(), m.value().applyAsDouble(v));
      }
      putOmitted(values, omitted, tr, teacher, testLabels, classes);
      if (reliability == null) {
        reliability = reliability(v.calibration());
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
      LossMetrics.Interval d =
          LossMetrics.accuracyDelta(
              students.toArray(Predictions[]::new),
              baselines.toArray(Predictions[]::new),
              testLabels,
              config.bootstrap(),
              config.corruptionSeed());
      add(values, "acc_delta_lo", d.lo());
      add(values, "acc_delta_hi", d.hi());
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

  /** The cascade threshold rule the study asked for, applied to a validation curve. */
  static Cascade.Point choose(
      List<Cascade.Point> valCurve, EvaluationConfig config, double target, double teacherMs) {
    if (!Double.isNaN(config.cascadeBudget())) {
      return Cascade.chooseForBudget(valCurve, config.cascadeBudget() * teacherMs);
    }
    if (!Double.isNaN(config.cascadeMaxDeferral())) {
      return Cascade.chooseForDeferral(valCurve, config.cascadeMaxDeferral());
    }
    return Cascade.chooseForAccuracy(valCurve, target);
  }

  /** The omitted-class probe of one run, keys {@code omitted.<class>.*}. */
  private static void putOmitted(
      Map<String, List<Double>> values,
      List<Integer> omitted,
      TrainResult tr,
      ModelOutputs teacher,
      int[] testLabels,
      int classes) {
    if (omitted.isEmpty()) {
      return;
    }
    float[] val = tr.extras().valLogits();
    float[] test = tr.testLogits();
    for (int k : omitted) {
      OmittedClass.Probe p =
          OmittedClass.probe(val, teacher.valLogits(), test, testLabels, classes, k);
      add(values, "omitted." + k + ".acc", p.classAcc());
      add(values, "omitted." + k + ".acc_corrected", p.classAccCorrected());
      add(values, "omitted." + k + ".overall_acc_corrected", p.accCorrected());
      add(values, "omitted." + k + ".bias", p.bias());
      add(values, "omitted." + k + ".val_freq", p.valFrequency());
      add(values, "omitted." + k + ".val_freq_corrected", p.valFrequencyCorrected());
    }
  }

  private static double frequency(Predictions p, int cls) {
    int c = 0;
    for (int a : p.argmax()) {
      c += a == cls ? 1 : 0;
    }
    return (double) c / p.size();
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
    m.put("underconfidence", c.underconfidence());
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

  private static void add(Map<String, List<Double>> m, String key, double v) {
    m.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
  }
}
