"""Notebook 9, tabular: an ensemble teacher into small and interpretable students: the code cells."""

DATA = r'''
import org.knowm.xchart.*;
import org.taqtir.core.eval.loss.*;
import tech.tablesaw.api.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
Path home = Path.of(System.getProperty("taqtir.home", "..")).toAbsolutePath();
Path experiment = home.resolve("experiments/tabular-compression");
Table diabetes = Table.read().csv(experiment.resolve("data/diabetes.csv").toString());
System.out.println(diabetes.shape());
diabetes.first(6)
'''

SUMMARY = r'''
diabetes.summary()
'''

SCATTER = r'''
XYChart scatter = new XYChartBuilder().width(760).height(360)
    .title("disease progression after one year vs body-mass index, by sex (coded 1/2 in the source)")
    .xAxisTitle("bmi").yAxisTitle("progression").build();
scatter.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
scatter.getStyler().setMarkerSize(5);
for (int sex : new int[] {1, 2}) {
  Table g = diabetes.where(diabetes.intColumn("sex").isEqualTo(sex));
  scatter.addSeries("sex " + sex, g.numberColumn("bmi").asDoubleArray(), g.numberColumn("progression").asDoubleArray());
}
double median = diabetes.numberColumn("progression").median();
System.out.println(String.format("median progression over all 442 rows: %.1f (the study binarises at the training split's median)", median));
scatter
'''

STUDY = r'''
Map<String, String> overrides = new LinkedHashMap<>();
overrides.put("output.dir", runsDir().toString());
overrides.put("output.plots", "false");
if (quick) {
  overrides.put("seeds", "[1]");
  overrides.put("training.epochs", "5");
}
Study study = new StudyParser(registry()).parse(experiment.resolve("study.yaml"), overrides);
study
'''

RUN = r'''
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
ResultsTable.of(result)
'''

BARS = r'''
StudyCharts.testAccuracy(result, ResultsTable.of(result))
'''

RULES = r'''
// the depth-3 trees of the first seed, distilled from the teacher's labels and trained on the true labels
for (String method : List.of("teacher-labels", "true-labels")) {
  RunSummary tree = result.runs().stream()
      .filter(r -> r.student().equals("tree-d3") && r.method().equals(method) && r.seed() == 1)
      .findFirst().orElseThrow();
  System.out.println("=== tree-d3, " + method + " (test acc " + tree.result().testAcc() + ")");
  System.out.println(Files.readString(tree.dir().resolve("model.txt")));
}
'''

GROUPS = r'''
LossReport loss = result.loss();
List<String> keys = List.of("acc", "group.1.acc", "group.2.acc", "group_acc_gap", "dp_gap", "eo_gap");
Table groups = Table.create("group disparity on the test split (groups: sex 1 and 2; mean ± std over seeds)");
StringColumn who = StringColumn.create("model");
who.append("teacher (XGBoost)");
for (MethodEvaluation m : loss.methods()) who.append(m.student() + " / " + m.method());
groups.addColumns(who);
for (String key : keys) {
  StringColumn c = StringColumn.create(key);
  Double t = loss.teacherMetrics().get(key);
  c.append(t == null ? "" : String.format("%.3f", t));
  for (MethodEvaluation m : loss.methods()) {
    Summary s = m.metrics().get(key);
    c.append(s == null ? "" : Double.isNaN(s.std()) || s.n() < 2 ? String.format("%.3f", s.mean())
        : String.format("%.3f ± %.3f", s.mean(), s.std()));
  }
  groups.addColumns(c);
}
groups
'''

CELLS = ["DATA", "SUMMARY", "SCATTER", "STUDY", "RUN", "BARS", "RULES", "GROUPS"]
MIN_IMAGES = 2  # scatter, accuracy bars
