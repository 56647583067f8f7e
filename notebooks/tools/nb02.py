"""Notebook 2, response-based KD: the code cells."""

SETUP = r'''
import org.knowm.xchart.*;
import org.taqtir.core.eval.loss.*;
import tech.tablesaw.api.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();

/** The study of this notebook: the teacher of notebook 1, one student, the given strategies. */
Study kdStudy(String name, String strategies, String seeds) {
  String yaml = """
      name: %s
      data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d}
      teacher:
        train:
          architecture: {id: mlp, params: {hidden: %s}}
          training: {epochs: %d}
      students:
        - {name: mlp-128, architecture: {id: mlp, params: {hidden: [128]}}}
      strategies:
      %s
      training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
      seeds: %s
      evaluation: {corruptions: false}
      output: {dir: "%s", plots: false}
      """.formatted(name, quick ? 4000 : 0, quick ? "[256]" : "[1200, 1200]", quick ? 2 : 8,
          strategies.indent(2), quick ? 2 : 10, quick ? "[1]" : seeds, runsDir());
  return new StudyParser(registry()).parse(yaml, Path.of(name + ".yaml"), Map.of());
}

Study study = kdStudy("nb02-response-kd", """
    - {id: labels-only}
    - {name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
    - {name: dkd, terms: [{id: labels-only}, {id: dkd}]}
    - {name: dist, terms: [{id: labels-only}, {id: dist}]}
    - {name: nkd, terms: [{id: labels-only}, {id: nkd}]}
    """, "[1, 2]");
study
'''

DESCRIBE = r'''
for (String id : List.of("hinton-kd", "dkd", "dist", "nkd")) {
  var p = registry().strategies().get(id);
  System.out.println(id + ": " + p.description());
  System.out.println("    loss: " + p.formula());
  System.out.println("    paper: " + p.paper());
}
'''

RUN = r'''
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
ResultsTable.of(result)
'''

CURVES = r'''
StudyCharts.learningCurves(result)
'''

BARS = r'''
StudyCharts.testAccuracy(result, ResultsTable.of(result))
'''

FIDELITY = r'''
// fidelity: does the student answer like its teacher? (Stanton et al. 2021)
int k = 10;
float[] teacherLogits = result.teacherPredictions().testLogits();
Predictions teacher = Predictions.of(teacherLogits, k, 1);
Table fidelity = Table.create("fidelity to the teacher on the test set (mean over seeds)");
StringColumn method = StringColumn.create("method");
DoubleColumn acc = DoubleColumn.create("test acc %"), agree = DoubleColumn.create("top-1 agreement %");
DoubleColumn kl = DoubleColumn.create("KL(teacher || student)");
for (String m : result.runs().stream().map(RunSummary::method).distinct().toList()) {
  var runs = result.runs().stream().filter(r -> r.method().equals(m)).toList();
  method.append(m);
  acc.append(Math.round(1000 * runs.stream().mapToDouble(r -> 100 * r.result().testAcc()).average().orElse(Double.NaN)) / 1000.0);
  agree.append(Math.round(1000 * runs.stream().mapToDouble(r ->
      100 * LossMetrics.agreement(teacher, Predictions.of(r.result().testLogits(), k, 1))).average().orElse(Double.NaN)) / 1000.0);
  kl.append(Math.round(1e4 * runs.stream().mapToDouble(r ->
      LossMetrics.kl(teacher, Predictions.of(r.result().testLogits(), k, 1))).average().orElse(Double.NaN)) / 1e4);
}
fidelity.addColumns(method, acc, agree, kl);
System.out.println(String.format("teacher: test acc %.2f %%", 100 * result.teacher().testAcc()));
fidelity
'''

SWEEP = r'''
double[] temps = quick ? new double[] {1, 4} : new double[] {1, 2, 4, 8, 16};
StringBuilder terms = new StringBuilder("- {id: labels-only}\n");
for (double t : temps)
  terms.append("- {name: kd-T%d, id: hinton-kd, params: {temperature: %s, alpha: 0.9}}\n".formatted((int) t, t));
StudyResult sweep = new StudyRunner(registry(), run -> progress(), s -> {})
    .run(kdStudy("nb02-temperature-sweep", terms.toString(), "[1]"));
double[] sweepAcc = new double[temps.length];
for (int j = 0; j < temps.length; j++) {
  String name = "kd-T" + (int) temps[j];
  sweepAcc[j] = 100 * sweep.runs().stream().filter(r -> r.method().equals(name)).findFirst().get().result().testAcc();
  System.out.println(String.format("T = %4.1f  test acc %.2f %%", temps[j], sweepAcc[j]));
}
double baseline = 100 * sweep.runs().stream().filter(RunSummary::labelsOnly).findFirst().get().result().testAcc();
XYChart tChart = new XYChartBuilder().width(760).height(320).title("Hinton KD (alpha 0.9), one seed: test accuracy vs temperature")
    .xAxisTitle("temperature T").yAxisTitle("test accuracy %").build();
tChart.getStyler().setXAxisLogarithmic(true);
tChart.addSeries("hinton-kd", temps, sweepAcc);
tChart.addSeries("labels-only", new double[] {temps[0], temps[temps.length - 1]}, new double[] {baseline, baseline});
tChart
'''

COLLAPSE = r'''
// DKD as in the study above, except that its weight reaches full strength after 2 epochs instead of 20
StudyResult fast = new StudyRunner(registry(), run -> progress(), s -> {}).run(kdStudy("nb02-dkd-warmup", """
    - {name: dkd-warmup-2, terms: [{id: labels-only}, {id: dkd, params: {warmup_epochs: 2}}]}
    """, "[1]"));
XYChart dkdChart = new XYChartBuilder().width(760).height(340).title("DKD, seed 1: validation accuracy per epoch")
    .xAxisTitle("epoch").yAxisTitle("validation accuracy %").build();
dkdChart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
for (StudyResult r : List.of(result, fast)) {
  RunSummary run = r.runs().stream().filter(x -> x.method().startsWith("dkd") && x.seed() == 1).findFirst().get();
  double[] epochs = IntStream.rangeClosed(1, run.result().history().size()).asDoubleStream().toArray();
  double[] valAcc = run.result().history().stream().mapToDouble(h -> 100 * h.valAcc()).toArray();
  String label = run.method().equals("dkd") ? "warm-up 20 epochs (the paper's)" : "warm-up 2 epochs";
  dkdChart.addSeries(label, epochs, valAcc);
  System.out.println(String.format("%-32s val acc after epoch 1: %6.2f %%, after the last: %6.2f %%; test acc %.2f %%",
      label, valAcc[0], valAcc[valAcc.length - 1], 100 * run.result().testAcc()));
}
dkdChart
'''

CELLS = ["SETUP", "DESCRIBE", "RUN", "CURVES", "BARS", "FIDELITY", "SWEEP", "COLLAPSE"]
MIN_IMAGES = 4  # learning curves, accuracy dots, temperature sweep, DKD's two warm-ups
