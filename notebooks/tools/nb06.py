"""Notebook 6, what did we lose (continued): the code cells (shared by every edition)."""
import nb05

SETUP = nb05.IMPORTS + nb05.LOSS_STUDY + r'''
// Notebook 5's study. Where notebook 5 already ran here, its trained students are evaluated again
// (the same numbers; only the measured latencies differ); otherwise they are trained now.
Study study = lossStudy("nb05-what-we-lose", "");
StudyRunner runner = new StudyRunner(registry(), run -> progress(), System.out::println);
Optional<Path> earlier = latestFinishedRun(study.name());
earlier.ifPresent(runner::reuseStudents);
System.out.println(earlier.map(d -> "evaluating the students of " + d).orElse("notebook 5 has not run here: training its students"));
StudyResult result = runner.run(study);
LossReport loss = result.loss();
List<String> names = FashionMnist.CLASS_NAMES;
''' + nb05.HELPER_DEFS + r'''
metrics("accuracy (as in notebook 5)", List.of("acc", "agreement"))
'''

SHIFT = r'''
List<String> kinds = List.of("noise", "blur", "contrast", "rotation", "occlusion");
Map<String, double[]> accUnderShift = new LinkedHashMap<>();
double[] tAcc = kinds.stream().mapToDouble(k -> 100 * loss.teacherMetrics().getOrDefault("corruption." + k + ".acc", Double.NaN)).toArray();
accUnderShift.put("teacher", tAcc);
for (MethodEvaluation m : loss.methods())
  accUnderShift.put(m.method(), kinds.stream().mapToDouble(k -> 100 * m.mean("corruption." + k + ".acc")).toArray());
display(LossCharts.corruptions("accuracy under shift (mean of 3 severities, test split)", kinds, accUnderShift));
metrics("robustness: accuracy drop under shift, and relative to the teacher's drop",
    kinds.stream().flatMap(k -> Stream.of("corruption." + k + ".acc_drop", "corruption." + k + ".acc_drop_vs_teacher")).toList())
'''

EFFICIENCY = r'''
metrics("what we gained", List.of("params", "bytes", "latency_1_ms", "latency_256_ms", "speedup_1", "speedup_256"))
'''

TARGETS = r'''
Table targets = Table.create("preservation targets (seed means)");
StringColumn tm = StringColumn.create("method"), tt = StringColumn.create("target"), tr = StringColumn.create("met?");
for (MethodEvaluation m : loss.methods())
  for (Targets.Result r : m.targets()) {
    tm.append(m.method());
    tt.append(String.format("%s   (value %.4f, bound %.4f)", r.target().text(), r.value(), r.bound()));
    tr.append(r.met() ? "met" : "NOT met");
  }
targets.addColumns(tm, tt, tr);
targets
'''

OMITTED = r'''
// Hinton's experiment: the students never see a single Dress (class 3) while learning
Study omitted = lossStudy("nb06-omitted-class", ", transfer_exclude_classes: [3]");
StudyResult probe = new StudyRunner(registry(), run -> progress(), System.out::println).run(omitted);
LossReport ol = probe.loss();
Table omittedTable = Table.create("omitted class 3 (" + names.get(3) + "): test accuracy before and after the bias correction");
StringColumn om = StringColumn.create("method");
StringColumn[] oc = {StringColumn.create("class acc"), StringColumn.create("class acc corrected"),
    StringColumn.create("overall acc"), StringColumn.create("overall corrected"), StringColumn.create("bias (val)")};
String[] keys = {"omitted.3.acc", "omitted.3.acc_corrected", "acc", "omitted.3.overall_acc_corrected", "omitted.3.bias"};
for (MethodEvaluation m : ol.methods()) {
  om.append(m.method());
  for (int i = 0; i < keys.length; i++) {
    Summary s = m.metrics().get(keys[i]);
    oc[i].append(s == null ? "" : num(s.mean()) + (Double.isNaN(s.std()) ? "" : " ± " + num(s.std())));
  }
}
omittedTable.addColumns(om);
omittedTable.addColumns(oc);
System.out.println(String.format("teacher (trained on all classes): %s accuracy %.4f", names.get(3),
    ol.teacherMetrics().getOrDefault("omitted.3.acc", Double.NaN)));
display(omittedTable);
CategoryChart omittedChart = new CategoryChartBuilder().width(760).height(420)
    .title("Dresses recognised by students that never saw one")
    .xAxisTitle("method (test split, mean over seeds)").yAxisTitle("Dresses right (%)").build();
omittedChart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0)
    .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS)
    .setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
List<String> methods = ol.methods().stream().map(MethodEvaluation::method).toList();
omittedChart.addSeries("as trained", methods, ol.methods().stream().map(m -> 100 * m.mean("omitted.3.acc")).toList());
omittedChart.addSeries("after the bias chosen on validation", methods,
    ol.methods().stream().map(m -> 100 * m.mean("omitted.3.acc_corrected")).toList());
double teacherDress = 100 * ol.teacherMetrics().getOrDefault("omitted.3.acc", Double.NaN);
omittedChart.addSeries("teacher (saw Dresses)", methods, methods.stream().map(m -> teacherDress).toList());
omittedChart
'''

STATEMENT = r'''
Path statementDir = Files.createTempDirectory("loss-statement");
Path md = LossStatement.write(result, names, statementDir);
String text = Files.readString(md);
// the statement links its charts as files; here they are shown above, so drop the image lines
markdown(text.lines().filter(l -> !l.startsWith("![")).collect(Collectors.joining("\n")))
'''

CELLS = ["SETUP", "SHIFT", "EFFICIENCY", "TARGETS", "OMITTED", "STATEMENT"]
MIN_IMAGES = 2  # corruptions, omitted class
