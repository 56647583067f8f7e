package org.taqtir.text.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.core.eval.MarkdownView;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.task.TeacherEvaluation;

/**
 * A language-modelling study's evaluation as data: per model (the teacher, each student × method)
 * the bits per character on every set, mean and sample standard deviation over seeds, the
 * student-minus-teacher gap, size and generation speed, and generated samples.
 *
 * @param sets the set names, in column order ({@code validation} first)
 * @param rows one per model, the teacher first
 * @param targets the study's preservation targets ({@link LmTargets}), checked for every student
 */
public record LmReport(List<String> sets, List<Row> rows, List<String> targets)
    implements StudyReport, MarkdownView {

  /** Copies. */
  public LmReport {
    sets = List.copyOf(sets);
    rows = List.copyOf(rows);
    targets = List.copyOf(targets);
  }

  /**
   * Every student's targets, checked against the teacher's metrics.
   *
   * @return per student row (the teacher has none), one result per target
   */
  public Map<Row, List<org.taqtir.core.eval.loss.Targets.Result>> targetResults() {
    Map<Row, List<org.taqtir.core.eval.loss.Targets.Result>> out = new LinkedHashMap<>();
    if (targets.isEmpty()) {
      return out;
    }
    Row teacher = rows.stream().filter(r -> r.method().isEmpty()).findFirst().orElse(null);
    Map<String, Double> t = teacher == null ? Map.of() : LmTargets.metrics(teacher);
    for (Row r : rows) {
      if (r != teacher) {
        out.put(r, LmTargets.check(targets, LmTargets.metrics(r), t));
      }
    }
    return out;
  }

  /**
   * One model's figures.
   *
   * @param student the student's name, {@code teacher} for the teacher
   * @param method the method, empty for the teacher
   * @param seeds how many seeds (runs that finished)
   * @param bpc per set: mean bits per character
   * @param bpcStd per set: standard deviation over seeds (NaN for one seed)
   * @param accuracy per set: mean next-token accuracy
   * @param parameters trainable scalars
   * @param tokensPerSecond generation throughput, batch 1
   * @param samples the first seed's generated samples
   * @param measures the loss probes' means over seeds, by key ({@link LmOutputs#measures()})
   * @param measuresStd their standard deviations over seeds (NaN for one seed)
   */
  public record Row(
      String student,
      String method,
      int seeds,
      Map<String, Double> bpc,
      Map<String, Double> bpcStd,
      Map<String, Double> accuracy,
      long parameters,
      double tokensPerSecond,
      List<LmOutputs.Sample> samples,
      Map<String, Double> measures,
      Map<String, Double> measuresStd) {}

  /** Builds the report from the runs and the teacher's evaluation. */
  static LmReport of(
      List<RunSummary> runs,
      TeacherEvaluation teacher,
      TokenWindows validation,
      Map<String, TokenWindows> extra,
      List<String> targets) {
    List<String> sets = new ArrayList<>();
    sets.add("validation");
    sets.addAll(extra.keySet());
    List<Row> rows = new ArrayList<>();
    if (teacher != null && teacher.predictions() instanceof LmOutputs t) {
      Map<String, Double> bpc = new LinkedHashMap<>();
      Map<String, Double> acc = new LinkedHashMap<>();
      bpc.put("validation", teacher.metrics().getOrDefault("val/bpc", Double.NaN));
      acc.put("validation", teacher.metrics().getOrDefault("val/acc", Double.NaN));
      t.scores().forEach((k, s) -> bpc.put(k, s.bitsPerChar()));
      t.scores().forEach((k, s) -> acc.put(k, s.accuracy()));
      rows.add(
          new Row(
              "teacher",
              "",
              1,
              bpc,
              Map.of(),
              acc,
              t.parameterCount(),
              t.tokensPerSecond(),
              t.samples(),
              t.measures(),
              Map.of()));
    }
    Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
    for (RunSummary r : runs) {
      if (r.result().ok() && r.result().outputs() instanceof LmOutputs) {
        groups.computeIfAbsent(r.student() + "\u0000" + r.method(), k -> new ArrayList<>()).add(r);
      }
    }
    // per student, the label-only runs by seed: the baseline of the paired comparisons
    Map<String, Map<Long, LmOutputs.Detail>> baselines = new LinkedHashMap<>();
    for (List<RunSummary> g : groups.values()) {
      if (g.stream().allMatch(RunSummary::labelsOnly)) {
        baselines.putIfAbsent(g.get(0).student(), details(g));
      }
    }
    LmOutputs.Detail teacherDetail =
        teacher != null && teacher.predictions() instanceof LmOutputs t ? t.test() : null;
    for (List<RunSummary> g : groups.values()) {
      Map<String, double[]> bpc = new LinkedHashMap<>();
      Map<String, double[]> acc = new LinkedHashMap<>();
      for (String set : sets) {
        bpc.put(set, new double[g.size()]);
        acc.put(set, new double[g.size()]);
      }
      for (int i = 0; i < g.size(); i++) {
        var result = g.get(i).result();
        var best = result.history().get(result.bestEpoch());
        bpc.get("validation")[i] = best.extras().getOrDefault("val_bpc", Double.NaN);
        acc.get("validation")[i] = best.valAcc();
        LmOutputs o = (LmOutputs) result.outputs();
        for (var e : o.scores().entrySet()) {
          bpc.get(e.getKey())[i] = e.getValue().bitsPerChar();
          acc.get(e.getKey())[i] = e.getValue().accuracy();
        }
      }
      Map<String, Double> mean = new LinkedHashMap<>();
      Map<String, Double> std = new LinkedHashMap<>();
      Map<String, Double> accMean = new LinkedHashMap<>();
      bpc.forEach((k, v) -> mean.put(k, mean(v)));
      bpc.forEach((k, v) -> std.put(k, std(v)));
      acc.forEach((k, v) -> accMean.put(k, mean(v)));
      LmOutputs first = (LmOutputs) g.get(0).result().outputs();
      Map<String, double[]> measures = new LinkedHashMap<>();
      for (int i = 0; i < g.size(); i++) {
        for (var e : ((LmOutputs) g.get(i).result().outputs()).measures().entrySet()) {
          double[] v = measures.computeIfAbsent(e.getKey(), k -> nans(g.size()));
          v[i] = e.getValue();
        }
      }
      Map<String, Double> mMean = new LinkedHashMap<>();
      Map<String, Double> mStd = new LinkedHashMap<>();
      measures.forEach((k, v) -> mMean.put(k, mean(v)));
      measures.forEach((k, v) -> mStd.put(k, std(v)));
      compare(g, baselines.get(g.get(0).student()), teacherDetail, mMean, mStd);
      rows.add(
          new Row(
              g.get(0).student(),
              g.get(0).method(),
              g.size(),
              mean,
              std,
              accMean,
              g.get(0).result().parameterCount(),
              first.tokensPerSecond(),
              first.samples(),
              mMean,
              mStd));
    }
    return new LmReport(sets, rows, targets);
  }

  /** The runs' test details by seed (runs evaluated without probes have none). */
  private static Map<Long, LmOutputs.Detail> details(List<RunSummary> g) {
    Map<Long, LmOutputs.Detail> out = new java.util.TreeMap<>();
    for (RunSummary r : g) {
      LmOutputs.Detail d = ((LmOutputs) r.result().outputs()).test();
      if (d != null) {
        out.put(r.seed(), d);
      }
    }
    return out;
  }

  /**
   * Adds a group's paired comparisons on test to its measures: Δ bits per character against the
   * label-only student of the same seeds ({@code test/delta_bpc_vs_baseline}, with {@code _lo} and
   * {@code _hi}, its std over seed pairs in {@code std}) and against the teacher ({@code
   * test/delta_bpc_vs_teacher}), and the churn between its seeds ({@code test/churn}).
   */
  private static void compare(
      List<RunSummary> g,
      Map<Long, LmOutputs.Detail> baseline,
      LmOutputs.Detail teacher,
      Map<String, Double> mean,
      Map<String, Double> std) {
    Map<Long, LmOutputs.Detail> mine = details(g);
    if (mine.isEmpty()) {
      return;
    }
    double churn = LmComparisons.churn(List.copyOf(mine.values()));
    if (Double.isFinite(churn)) {
      mean.put("test/churn", churn);
    }
    if (baseline != null && !g.stream().allMatch(RunSummary::labelsOnly)) {
      List<Long> seeds = mine.keySet().stream().filter(baseline::containsKey).toList();
      LmComparisons.Delta d =
          LmComparisons.delta(
              seeds.stream().map(mine::get).toList(), seeds.stream().map(baseline::get).toList());
      put(mean, std, "test/delta_bpc_vs_baseline", d);
    }
    if (teacher != null) {
      put(
          mean,
          std,
          "test/delta_bpc_vs_teacher",
          LmComparisons.delta(List.copyOf(mine.values()), List.of(teacher)));
    }
  }

  private static void put(
      Map<String, Double> mean, Map<String, Double> std, String key, LmComparisons.Delta d) {
    if (d == null) {
      return;
    }
    mean.put(key, d.mean());
    std.put(key, d.std());
    mean.put(key + "_lo", d.lo());
    mean.put(key + "_hi", d.hi());
  }

  private static double[] nans(int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, Double.NaN);
    return v;
  }

  @Override
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    Row teacher = rows.stream().filter(r -> r.method().isEmpty()).findFirst().orElse(null);
    for (Row r : rows) {
      String p =
          r.method().isEmpty() ? "lm/teacher/" : "lm/" + r.student() + "/" + r.method() + "/";
      for (String set : sets) {
        put(out, p + set + "/bpc", r.bpc().get(set));
        put(out, p + set + "/acc", r.accuracy().get(set));
        if (teacher != null && r != teacher) {
          Double a = r.bpc().get(set);
          Double b = teacher.bpc().get(set);
          if (a != null && b != null) {
            put(out, p + set + "/bpc_gap_vs_teacher", a - b);
          }
        }
      }
      r.measures().forEach((k, v) -> put(out, p + k, v));
    }
    targetResults()
        .forEach(
            (r, results) ->
                put(
                    out,
                    "lm/" + r.student() + "/" + r.method() + "/targets_missed",
                    (double) results.stream().filter(x -> !x.met()).count()));
    return out;
  }

  /** The results table and the samples side by side, as a notebook shows them. */
  @Override
  public String markdown() {
    return LmRenderer.table(this)
        + "\n"
        + LmRenderer.targets(this)
        + LmRenderer.probes(this)
        + "\n"
        + LmRenderer.samples(this).replaceFirst("^# ", "### ");
  }

  private static void put(Map<String, Double> out, String key, Double v) {
    if (v != null && Double.isFinite(v)) {
      out.put(key, v);
    }
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  static double std(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
