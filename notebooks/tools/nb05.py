"""Notebook 5, what did we lose: the code cells (shared by every edition)."""

IMPORTS = r'''
import org.knowm.xchart.*;
import org.taqtir.core.eval.loss.*;
import tech.tablesaw.api.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
'''

# the study of notebooks 5 and 6 (notebook 6 evaluates notebook 5's students again)
LOSS_STUDY = r'''
/** The course's teacher and a 784-64-10 student; `extra` adds YAML (e.g. a transfer-set restriction). */
Study lossStudy(String name, String dataExtra) {
  String yaml = """
      name: %s
      data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d%s}
      teacher:
        train:
          architecture: {id: mlp, params: {hidden: %s}}
          training: {epochs: %d}
      students:
        - {name: mlp-64, architecture: {id: mlp, params: {hidden: [64]}}}
      strategies:
        - {id: labels-only}
        - {name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
        - {name: dkd, terms: [{id: labels-only}, {id: dkd}]}
      training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
      seeds: %s
      evaluation:
        targets: ["agreement >= 0.95", "ece <= teacher + 0.02", "worst_class_acc >= 0.70",
                  "corruption.noise.acc_drop <= teacher + 0.05"]
      output: {dir: "%s", plots: false}
      """.formatted(name, quick ? 4000 : 0, dataExtra, quick ? "[256]" : "[1200, 1200]", quick ? 2 : 8,
          quick ? 2 : 10, quick ? "[1, 2]" : "[1, 2, 3]", runsDir());
  return new StudyParser(registry()).parse(yaml, Path.of(name + ".yaml"), Map.of());
}
'''

SETUP = IMPORTS + LOSS_STUDY + r'''
Study study = lossStudy("nb05-what-we-lose", "");
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
LossReport loss = result.loss();
List<String> names = FashionMnist.CLASS_NAMES;
double studentParams = loss.methods().get(0).mean("params"), teacherParams = loss.teacherMetrics().get("params");
System.out.println(String.format("student: %,.0f parameters, %.1f× fewer than the teacher (%,.0f)",
    studentParams, teacherParams / studentParams, teacherParams));
ResultsTable.of(result)
'''

HELPER_DEFS = r'''
/** A number for a table: 4 decimals, or a whole number with separators when it is large. */
String num(double v) {
  return Double.isNaN(v) ? "" : Math.abs(v) >= 1000 ? String.format("%,.0f", v) : String.format("%.4f", v);
}

/** A table of metrics (rows: teacher, then each method; mean ± std over seeds, std left out for one value). */
Table metrics(String title, List<String> keys) {
  Table t = Table.create(title);
  StringColumn who = StringColumn.create("model");
  who.append("teacher");
  for (MethodEvaluation m : loss.methods()) who.append(m.method() + (m.baseline() ? " (baseline)" : ""));
  t.addColumns(who);
  for (String key : keys) {
    StringColumn c = StringColumn.create(key);
    Double tv = loss.teacherMetrics().get(key);
    c.append(tv == null ? "" : num(tv));
    for (MethodEvaluation m : loss.methods()) {
      Summary s = m.metrics().get(key);
      c.append(s == null ? "" : Double.isNaN(s.std()) ? num(s.mean()) : num(s.mean()) + " ± " + num(s.std()));
    }
    t.addColumns(c);
  }
  return t;
}
'''

HELPERS = HELPER_DEFS + r'''
metrics("accuracy and fidelity", List.of("acc", "top5", "agreement", "kl", "churn"))
'''

CALIBRATION = r'''
metrics("calibration (test split; temperature fitted on validation)",
    List.of("ece", "mce", "nll", "brier", "overconfidence", "underconfidence", "temperature", "ece_ts"))
'''

RELIABILITY = r'''
Map<String, double[][]> diagrams = new LinkedHashMap<>();
diagrams.put("teacher", loss.teacherReliability());
for (MethodEvaluation m : loss.methods()) diagrams.put(m.method(), m.reliability());
LossCharts.reliability("reliability diagram (test split, first seed)", diagrams)
'''

HARM = r'''
display(metrics("per-class harm", List.of("worst_class_acc", "classes_harmed", "acc_delta", "acc_delta_lo", "acc_delta_hi")));
for (MethodEvaluation m : loss.methods()) {
  if (m.delta() == null) continue;
  double[] d = Arrays.stream(m.delta().delta()).map(v -> 100 * v).toArray();
  double[] lo = Arrays.stream(m.delta().lo()).map(v -> 100 * v).toArray();
  double[] hi = Arrays.stream(m.delta().hi()).map(v -> 100 * v).toArray();
  display(LossCharts.perClassDelta(m.method() + ": per-class accuracy change vs " + loss.baselineMethod()
      + " (points, 95 % bootstrap interval)", names, d, lo, hi));
  for (int c = 0; c < names.size(); c++)
    if (m.delta().hi()[c] < 0)
      System.out.println(String.format("%s significantly harms %s: %+.2f points [%+.2f, %+.2f]",
          m.method(), names.get(c), d[c], lo[c], hi[c]));
}
'''

INHERITED = r'''
metrics("inherited errors and transfer", List.of("inherited", "negative_transfer", "positive_transfer"))
'''

CELLS = ["SETUP", "HELPERS", "CALIBRATION", "RELIABILITY", "HARM", "INHERITED"]
MIN_IMAGES = 3  # reliability, per-class delta x2
