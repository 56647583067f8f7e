"""Notebook 10, when does distillation help?: the code cells (shared by every edition)."""

SETUP = r'''
import org.knowm.xchart.*;
import org.taqtir.core.eval.loss.*;
import org.taqtir.report.StatementMetrics;
import tech.tablesaw.api.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();

/**
 * experiments/few-labels in notebook form: the course's teacher (trained on every label) and an MLP-128
 * student with labels for only `n` of the training images (0: all of them). labels-only learns from the n
 * labelled images; hinton-kd from the teacher's outputs on every image, plus the n labels.
 */
Study fewLabels(int n) {
  String yaml = """
      name: nb10-labels-%s
      data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d%s}
      teacher:
        train:
          architecture: {id: mlp, params: {hidden: %s}}
          training: {epochs: %d}
      students:
        - {name: mlp-128, architecture: {id: mlp, params: {hidden: [128]}}}
      strategies:
        - {id: labels-only}
        - {name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
      training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
      seeds: %s
      evaluation: {corruptions: false}
      output: {dir: "%s", plots: false}
      """.formatted(n == 0 ? "all" : n, quick ? 4000 : 0, n == 0 ? "" : ", labelled: " + n,
          quick ? "[256]" : "[1200, 1200]", quick ? 2 : 8, quick ? 2 : 10, quick ? "[1, 2]" : "[1, 2, 3]", runsDir());
  return new StudyParser(registry()).parse(yaml, Path.of("nb10-labels-" + n + ".yaml"), Map.of());
}

/** "mean ± std" of a metric, in percent. */
String pct(MethodEvaluation m, String key) {
  Summary s = m.metrics().get(key);
  return String.format("%.2f ± %.2f", 100 * s.mean(), Double.isNaN(s.std()) ? 0 : 100 * s.std());
}

/** The verdict of a 95 % interval of a difference: only an interval that excludes zero counts. */
String verdict(double lo, double hi) {
  return lo > 0 ? "KD better" : hi < 0 ? "labels-only better" : "no significant difference";
}
'''

FEW = r'''
int[] ns = quick ? new int[] {100, 0} : new int[] {100, 1000, 5000, 0};
Map<Integer, LossReport> reports = new LinkedHashMap<>();
double teacherAcc = Double.NaN;
int trainImages = quick ? 4000 : 55000;  // the studies' train_limit (0: all 55,000)
for (int n : ns) {
  StudyResult r = new StudyRunner(registry(), run -> progress(), s -> {}).run(fewLabels(n));
  reports.put(n, r.loss());
  teacherAcc = 100 * r.teacher().testAcc();
}
Table few = Table.create("labels for N images, the teacher's outputs on all " + trainImages
    + " (test accuracy %, mean ± std over seeds; Δ and its 95 % paired bootstrap interval in points)");
StringColumn cn = StringColumn.create("labels N"), cb = StringColumn.create("labels-only"), ck = StringColumn.create("hinton-kd");
StringColumn cd = StringColumn.create("Δ (KD − labels-only)"), ci = StringColumn.create("95 % interval"), cv = StringColumn.create("verdict");
for (var e : reports.entrySet()) {
  MethodEvaluation base = e.getValue().methods().stream().filter(MethodEvaluation::baseline).findFirst().get();
  MethodEvaluation kd = e.getValue().methods().stream().filter(m -> m.method().equals("hinton-kd")).findFirst().get();
  double lo = 100 * kd.mean("acc_delta_lo"), hi = 100 * kd.mean("acc_delta_hi");
  cn.append(e.getKey() == 0 ? "all " + trainImages : String.valueOf(e.getKey()));
  cb.append(pct(base, "acc"));
  ck.append(pct(kd, "acc"));
  cd.append(String.format("%+.2f", 100 * kd.mean("acc_delta")));
  ci.append(String.format("%+.2f to %+.2f", lo, hi));
  cv.append(verdict(lo, hi));
}
few.addColumns(cn, cb, ck, cd, ci, cv);
System.out.println(String.format("teacher (trained on all %d labels): test acc %.2f %%", trainImages, teacherAcc));
few
'''

FEW_CHART = r'''
XYChart fewChart = new XYChartBuilder().width(760).height(400)
    .title("Labels for N images, teacher outputs for all: test accuracy")
    .xAxisTitle("labelled images N (log scale)").yAxisTitle("test accuracy %").build();
fewChart.getStyler().setXAxisLogarithmic(true).setXAxisDecimalPattern("#,###").setYAxisMin(60.0).setYAxisMax(92.0)
    .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
double[] xs = reports.keySet().stream().mapToDouble(n -> n == 0 ? trainImages : n).toArray();
for (String method : List.of("labels-only", "hinton-kd")) {
  double[] ys = reports.values().stream().mapToDouble(r -> 100 * r.methods().stream()
      .filter(m -> m.method().equals(method)).findFirst().get().mean("acc")).toArray();
  fewChart.addSeries(method, xs, ys);
}
fewChart.addSeries("teacher", new double[] {xs[0], xs[xs.length - 1]}, new double[] {teacherAcc, teacherAcc})
    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
fewChart
'''

INHERIT = r'''
Table costs = Table.create("what the distilled student takes from its teacher (test split, mean over seeds)");
StringColumn kn = StringColumn.create("labels N"), km = StringColumn.create("method");
DoubleColumn ka = DoubleColumn.create("agreement %"), ki = DoubleColumn.create("repeats the teacher's mistake %"),
    ke = DoubleColumn.create("ECE");
for (var e : reports.entrySet())
  for (MethodEvaluation m : e.getValue().methods()) {
    kn.append(e.getKey() == 0 ? "all" : String.valueOf(e.getKey()));
    km.append(m.method());
    ka.append(Math.round(1000 * m.mean("agreement")) / 10.0);
    ki.append(Math.round(1000 * m.mean("inherited")) / 10.0);
    ke.append(Math.round(1000 * m.mean("ece")) / 1000.0);
  }
costs.addColumns(kn, km, ka, ki, ke);
costs
'''

HINTON = r'''
// The committed studies of experiments/hinton-2015 (about an hour to re-run: see its README). Their Loss
// Statements are the record; StatementMetrics reads the metric tables back out of them.
Path hinton = Path.of(System.getProperty("taqtir.home", ".")).resolve("experiments/hinton-2015");
Map<String, Map<String, Map<String, StatementMetrics.Value>>> statements = new HashMap<>();
/** One study's metrics of the hard-label (labels-only) or the soft-target student, its statement read once. */
Map<String, StatementMetrics.Value> student(String dir, String method) {
  return statements.computeIfAbsent(dir, d -> StatementMetrics.read(hinton.resolve(d).resolve("loss-statement.md")))
      .get("mlp-800-800 / " + method);
}
Map<String, StatementMetrics.Value> hard(String dir) { return student(dir, "labels-only"); }
Map<String, StatementMetrics.Value> soft(String dir) { return student(dir, "soft-targets-T20"); }
String p(StatementMetrics.Value v) { return String.format("%.2f %%", 100 * v.mean()); }
String interval(Map<String, StatementMetrics.Value> m) {
  return String.format("%+.2f (%+.2f to %+.2f)", 100 * m.get("acc_delta").mean(), 100 * m.get("acc_delta_lo").mean(),
      100 * m.get("acc_delta_hi").mean());
}
Table paper = Table.create("Hinton, Vinyals & Dean 2015 (MNIST) beside Taqtir (Fashion-MNIST, 3 seeds)");
StringColumn what = StringColumn.create("experiment"), theirs = StringColumn.create("paper"), ours = StringColumn.create("Taqtir"),
    delta = StringColumn.create("Δ soft − hard, points (95 % interval)");
what.append("teacher 1200-1200, dropout + jitter");
theirs.append("99.33 % (67 errors)");
ours.append(String.format("%.2f %%", 100 * hard("results-jitter").get("acc").teacher()));
delta.append("");
what.append("student 800-800: hard labels → soft targets, T = 20");
theirs.append("98.54 % → 99.26 %");
ours.append(p(hard("results-jitter").get("acc")) + " → " + p(soft("results-jitter").get("acc")));
delta.append(interval(soft("results-jitter")));
what.append("the same, teacher with dropout only (no jitter)");
theirs.append("");
ours.append(p(hard("results-dropout").get("acc")) + " → " + p(soft("results-dropout").get("acc")));
delta.append(interval(soft("results-dropout")));
what.append("omitted class (3s / Dresses): share of the class right, soft targets, before → after the bias");
theirs.append("86.8 % → 98.6 % of 3s");
ours.append(p(soft("results-omitted-class").get("omitted.3.acc")) + " → "
    + p(soft("results-omitted-class").get("omitted.3.acc_corrected")) + " of Dresses");
delta.append(interval(soft("results-omitted-class")));
what.append("omitted class, hard labels: share of the class right, before → after the bias");
theirs.append("");
ours.append(p(hard("results-omitted-class").get("omitted.3.acc")) + " → "
    + p(hard("results-omitted-class").get("omitted.3.acc_corrected")) + " of Dresses");
delta.append("");
what.append("3 % of the training data: hard → soft targets");
theirs.append("44.5 % → 57.0 % (speech, frame accuracy)");
ours.append(p(hard("results-three-percent").get("acc")) + " → " + p(soft("results-three-percent").get("acc")));
delta.append(interval(soft("results-three-percent")));
paper.addColumns(what, theirs, ours, delta);
paper
'''

STRONG = r'''
// experiments/strong-teacher: a CNN teacher with dropout and jitter, distilled into two small MLPs
var strong = StatementMetrics.read(Path.of(System.getProperty("taqtir.home", "."))
    .resolve("experiments/strong-teacher/results/loss-statement.md"));
Table shown = Table.create("strong-teacher: CNN teacher → MLP students (test accuracy %, mean ± std over 3 seeds;"
    + " Δ against the same student's labels-only, 95 % paired bootstrap interval)");
StringColumn sr = StringColumn.create("student / method"), sa = StringColumn.create("test acc %"),
    sd = StringColumn.create("Δ (points)"), si = StringColumn.create("95 % interval"), sv = StringColumn.create("verdict");
for (var e : strong.entrySet()) {
  var acc = e.getValue().get("acc");
  sr.append(e.getKey());
  sa.append(String.format("%.2f ± %.2f", 100 * acc.mean(), 100 * acc.std()));
  boolean baseline = !e.getValue().containsKey("acc_delta");
  sd.append(baseline ? "" : String.format("%+.2f", 100 * e.getValue().get("acc_delta").mean()));
  double lo = baseline ? 0 : 100 * e.getValue().get("acc_delta_lo").mean(), hi = baseline ? 0 : 100 * e.getValue().get("acc_delta_hi").mean();
  si.append(baseline ? "" : String.format("%+.2f to %+.2f", lo, hi));
  sv.append(baseline ? "(baseline)" : verdict(lo, hi));
}
shown.addColumns(sr, sa, sd, si, sv);
System.out.println(String.format("teacher: CNN with dropout and jitter, test acc %.2f %%",
    100 * strong.values().iterator().next().get("acc").teacher()));
shown
'''

CELLS = ["SETUP", "FEW", "FEW_CHART", "INHERIT", "HINTON", "STRONG"]
MIN_IMAGES = 1  # few labels: accuracy against N
