"""Notebook 7, a cascade with teacher fallback: the code cells."""

SETUP = r'''
import org.knowm.xchart.*;
import org.taqtir.core.eval.loss.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
String yaml = """
    name: nb06-cascade
    data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d}
    teacher:
      train:
        architecture: {id: mlp, params: {hidden: %s}}
        training: {epochs: %d}
    students:
      - {name: mlp-32, architecture: {id: mlp, params: {hidden: [32]}}}
    strategies:
      - {id: labels-only}
      - {name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
    training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
    seeds: [1]
    evaluation: {corruptions: false}
    output: {dir: "%s", plots: false}
    """.formatted(quick ? 4000 : 0, quick ? "[256]" : "[1200, 1200]", quick ? 2 : 8, quick ? 2 : 10, runsDir());
Study study = new StudyParser(registry()).parse(yaml, Path.of("06-cascade.yaml"), Map.of());
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
ResultsTable.of(result)
'''

PIECES = r'''
var splits = FashionMnist.load(study);
int k = 10;
int[] valLabels = splits.validation().labels(), testLabels = splits.test().labels();
var tp = result.teacherPredictions();
Predictions teacherVal = Predictions.of(tp.valLogits(), k, 1), teacherTest = Predictions.of(tp.testLogits(), k, 1);
RunSummary kd = result.runs().stream().filter(r -> r.method().equals("hinton-kd")).findFirst().get();
Predictions studentVal = Predictions.of(kd.result().extras().valLogits(), k, 1);
Predictions studentTest = Predictions.of(kd.result().testLogits(), k, 1);
double studentMs = kd.result().extras().latencyBatch1Ms(), teacherMs = tp.latencyBatch1Ms();
System.out.println(String.format("student %s: test acc %.2f %%, %.3f ms per sample at batch 1, %,d parameters",
    kd.architecture(), 100 * kd.result().testAcc(), studentMs, kd.result().parameterCount()));
System.out.println(String.format("teacher: test acc %.2f %%, %.3f ms per sample at batch 1, %,d parameters",
    100 * result.teacher().testAcc(), teacherMs, tp.parameterCount()));
System.out.println(String.format("the student is %.1fx faster; asking both always costs %.3f ms", teacherMs / studentMs, studentMs + teacherMs));
'''

CONFIDENCE = r'''
// How well does the student's confidence separate its right answers from its wrong ones (validation split)?
double[] conf = Cascade.confidence(studentVal, Cascade.Rule.MAX_PROB);
int bins = 20;
double[] right = new double[bins], wrong = new double[bins], centres = new double[bins];
for (int b = 0; b < bins; b++) centres[b] = 0.1 + 0.9 * (b + 0.5) / bins;
for (int i = 0; i < conf.length; i++) {
  int b = Math.min(bins - 1, Math.max(0, (int) ((conf[i] - 0.1) / 0.9 * bins)));
  if (studentVal.argmax()[i] == valLabels[i]) right[b]++; else wrong[b]++;
}
CategoryChart hist = new CategoryChartBuilder().width(820).height(320)
    .title("student's max-probability on the validation split").xAxisTitle("confidence").yAxisTitle("samples").build();
hist.getStyler().setOverlapped(true);
hist.getStyler().setXAxisDecimalPattern("0.00");
hist.getStyler().setXAxisTickMarkSpacingHint(40);
hist.addSeries("correct", centres, right).setFillColor(new java.awt.Color(70, 110, 220, 200));
hist.addSeries("wrong", centres, wrong).setFillColor(new java.awt.Color(220, 50, 40, 200));
hist
'''

CURVES = r'''
// accuracy vs deferral rate for the three confidence rules, an oracle and random deferral (test split)
XYChart curves = new XYChartBuilder().width(820).height(420)
    .title("student first, teacher below tau (test split)")
    .xAxisTitle("fraction deferred to the teacher").yAxisTitle("accuracy %").build();
for (Cascade.Rule rule : Cascade.Rule.values()) {
  List<Cascade.Point> c = Cascade.curve(studentTest, teacherTest, testLabels, rule, studentMs, teacherMs);
  curves.addSeries(rule.name().toLowerCase(), c.stream().mapToDouble(Cascade.Point::deferral).toArray(),
      c.stream().mapToDouble(p -> 100 * p.accuracy()).toArray()).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
}
double[][] oracle = Cascade.oracle(studentTest, teacherTest, testLabels);
double[] oracleAcc = Arrays.stream(oracle[1]).map(a -> 100 * a).toArray();
curves.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
curves.addSeries("oracle", oracle[0], oracleAcc)
    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
double[] rates = IntStream.rangeClosed(0, 20).mapToDouble(i -> i / 20.0).toArray();
curves.addSeries("random deferral", rates,
    Arrays.stream(rates).map(r -> 100 * Cascade.randomAt(studentTest, teacherTest, testLabels, r)).toArray())
    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
curves
'''

CHOOSE = r'''
// choose tau on VALIDATION, then report what it does on TEST
List<Cascade.Point> valCurve = Cascade.curve(studentVal, teacherVal, valLabels, Cascade.Rule.MAX_PROB, studentMs, teacherMs);
double target = result.teacher().valAcc() - 0.005;
Cascade.Point byAccuracy = Cascade.chooseForAccuracy(valCurve, target);
Cascade.Point byBudget = Cascade.chooseForBudget(valCurve, 0.3 * teacherMs);
Cascade.Point byDeferral = Cascade.chooseForDeferral(valCurve, 0.10);
var choices = tech.tablesaw.api.Table.create("thresholds chosen on validation, measured on test (max-probability rule)");
var rule = tech.tablesaw.api.StringColumn.create("how tau was chosen");
var tauCol = tech.tablesaw.api.DoubleColumn.create("tau");
var defCol = tech.tablesaw.api.DoubleColumn.create("test: deferred %");
var accCol = tech.tablesaw.api.DoubleColumn.create("test: accuracy %");
var costCol = tech.tablesaw.api.DoubleColumn.create("test: ms per sample");
for (var e : List.of(
    Map.entry(String.format("reach teacher val acc - 0.5 pt (%.2f %%)", 100 * target), byAccuracy),
    Map.entry("cost <= 0.3 x teacher", byBudget),
    Map.entry("defer at most 10 %", byDeferral))) {
  Cascade.Point t = Cascade.at(studentTest, teacherTest, testLabels, Cascade.Rule.MAX_PROB, e.getValue().tau(), studentMs, teacherMs);
  rule.append(e.getKey());
  tauCol.append(Math.round(e.getValue().tau() * 1e4) / 1e4);
  defCol.append(Math.round(1e3 * t.deferral()) / 10.0);
  accCol.append(Math.round(1e4 * t.accuracy()) / 100.0);
  costCol.append(Math.round(1e4 * t.costMs()) / 1e4);
}
choices.addColumns(rule, tauCol, defCol, accCol, costCol);
System.out.println(String.format("for reference on test: student alone %.2f %% at %.3f ms, teacher alone %.2f %% at %.3f ms (+ student %.3f ms if asked first)",
    100 * kd.result().testAcc(), studentMs, 100 * result.teacher().testAcc(), teacherMs, studentMs));
choices
'''

COST = r'''
XYChart cost = new XYChartBuilder().width(820).height(360).title("accuracy vs measured cost (test split, max-probability)")
    .xAxisTitle("mean ms per sample at batch 1").yAxisTitle("accuracy %").build();
List<Cascade.Point> testCurve = Cascade.curve(studentTest, teacherTest, testLabels, Cascade.Rule.MAX_PROB, studentMs, teacherMs);
cost.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
cost.addSeries("cascade", testCurve.stream().mapToDouble(Cascade.Point::costMs).toArray(),
    testCurve.stream().mapToDouble(p -> 100 * p.accuracy()).toArray()).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
cost.addSeries("teacher alone", new double[] {teacherMs}, new double[] {100 * result.teacher().testAcc()});
cost.addSeries("student alone", new double[] {studentMs}, new double[] {100 * kd.result().testAcc()});
Cascade.Point chosen = Cascade.at(studentTest, teacherTest, testLabels, Cascade.Rule.MAX_PROB, byAccuracy.tau(), studentMs, teacherMs);
cost.addSeries("tau chosen for the accuracy target", new double[] {chosen.costMs()}, new double[] {100 * chosen.accuracy()});
cost
'''

CELLS = ["SETUP", "PIECES", "CONFIDENCE", "CURVES", "CHOOSE", "COST"]
MIN_IMAGES = 3  # confidence histogram, deferral curves, cost curve
