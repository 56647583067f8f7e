"""Notebook 12, what does a distilled language model lose?: the code cells (shared by every edition)."""
import nb11

SETUP = r'''
import org.knowm.xchart.*;
import org.taqtir.text.task.LmReport;
import tech.tablesaw.api.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
Path home = Path.of(System.getProperty("taqtir.home", "."));
''' + nb11.FIGURES + r'''
/** "mean ± std" of a row's measure (or its bits per character on a set: "bpc:test"), times a scale. */
String pm(LmReport.Row row, String key, double scale) {
  boolean bpc = key.startsWith("bpc:");
  String k = bpc ? key.substring(4) : key;
  Double m = (bpc ? row.bpc() : row.measures()).get(k), s = (bpc ? row.bpcStd() : row.measuresStd()).get(k);
  if (m == null || m.isNaN()) return "";
  return s == null || s.isNaN() ? String.format("%.3f", scale * m) : String.format("%.3f ± %.3f", scale * m, scale * s);
}
'''

PLANTED = r'''
/**
 * The planted-error probe (experiments/text-distillation/facts.yaml in notebook form). The teacher's training
 * text states 20 % of the facts wrongly; the students learn from the same documents with every fact right, so
 * a wrong fact can only reach them through the teacher's predictions. next-token is the baseline trained on the
 * correct facts alone.
 */
Study planted(String language) {
  String yaml = """
      name: nb12-planted-%s
      task: language-modelling
      data: {source: text, corpus: facts, language: %s, people: %d, repeats: %d, planted_errors: 0.2, every: 20, window: 64, tokenizer: {id: char}}
      teacher:
        train:
          architecture: {id: gpt, params: {layers: %d, width: %d, heads: 4}}
          training: {epochs: %d, batch_size: 16, optimizer: {type: adam, lr: 0.001}, schedule: {type: cosine, min_lr: 0.0001}}
      students:
        - {name: gpt-2x48, architecture: {id: gpt, params: {layers: 2, width: 48, heads: 4}}}
      strategies:
        - {id: next-token}
        - {id: forward-kl}
        - {name: forward-kl+next-token, terms: [{id: next-token, weight: 0.5}, {id: forward-kl, weight: 0.5}]}
      training: {epochs: %d, batch_size: 16, optimizer: {type: adam, lr: 0.003}, schedule: {type: cosine, min_lr: 0.0003}}
      seeds: %s
      evaluation: {samples: 1, typos: []}
      output: {dir: "%s", plots: false}
      """.formatted(language, language, quick ? 20 : 60, quick ? 8 : 20, quick ? 2 : 3, quick ? 64 : 128,
          quick ? 4 : 20, quick ? 4 : 20, quick ? "[1]" : "[1, 2, 3]", runsDir());
  return new StudyParser(registry()).parse(yaml, Path.of("nb12-planted-" + language + ".yaml"), Map.of());
}

Map<String, StudyResult> runs = new LinkedHashMap<>();
for (String language : List.of("en", "ar"))
  runs.put(language, new StudyRunner(registry(), run -> progress(), s -> {}).run(planted(language)));

Table inherited = Table.create("the teacher's wrong facts, asked as closed questions (shares, mean ± std over seeds)");
List<String> keys = List.of("facts/accuracy", "facts/planted_chosen", "facts/agreement", "facts/inherited", "facts/corrected",
    "facts/confidence_inherited", "facts/confidence_right");
StringColumn il = StringColumn.create("facts"), im = StringColumn.create("model");
List<StringColumn> ic = List.of("facts right", "planted value chosen", "agreement with teacher", "inherited (teacher wrong)",
    "corrected (teacher wrong)", "confidence when inheriting", "confidence when right").stream().map(StringColumn::create).toList();
for (var e : runs.entrySet())
  for (LmReport.Row row : ((LmReport) e.getValue().report()).rows()) {
    il.append(e.getKey());
    im.append(row.method().isEmpty() ? "teacher" : row.method());
    for (int i = 0; i < keys.size(); i++) ic.get(i).append(pm(row, keys.get(i), 1));
  }
inherited.addColumns(il, im);
ic.forEach(inherited::addColumns);
inherited
'''

PLANTED_CHART = r'''
CategoryChart inheritChart = new CategoryChartBuilder().width(760).height(400)
    .title("Where the teacher answers wrongly: repeated or corrected?").yAxisTitle("share of those facts").build();
inheritChart.getStyler().setYAxisMin(0.0);
inheritChart.getStyler().setYAxisMax(1.0);
inheritChart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
List<String> students = List.of("next-token", "forward-kl", "forward-kl+next-token");
for (var e : runs.entrySet()) {
  LmReport r = (LmReport) e.getValue().report();
  for (String k : List.of("inherited", "corrected")) {
    List<Double> ys = students.stream().map(m -> r.rows().stream().filter(x -> x.method().equals(m)).findFirst()
        .map(x -> x.measures().getOrDefault("facts/" + k, Double.NaN)).orElse(Double.NaN)).toList();
    List<Double> sd = students.stream().map(m -> r.rows().stream().filter(x -> x.method().equals(m)).findFirst()
        .map(x -> x.measuresStd().getOrDefault("facts/" + k, 0.0)).map(v -> v.isNaN() ? 0 : v).orElse(0.0)).toList();
    inheritChart.addSeries(k + " (" + e.getKey() + ")", students, ys, sd);
  }
}
inheritChart
'''

TOKENS_AND_TEXT = r'''
Table written = Table.create("the same studies: token-level inherited errors on test, and the facts each model writes");
List<String> wk = List.of("test/errors/teacher_wrong", "test/errors/inherited", "test/errors/corrected",
    "facts_gen/true", "facts_gen/false", "facts_gen/planted", "facts_gen/invented");
StringColumn wl = StringColumn.create("facts"), wm = StringColumn.create("model");
List<StringColumn> wc = List.of("teacher wrong (tokens)", "inherited (tokens)", "corrected (tokens)", "writes true facts",
    "writes false facts", "of which planted", "invented").stream().map(StringColumn::create).toList();
for (var e : runs.entrySet())
  for (LmReport.Row row : ((LmReport) e.getValue().report()).rows()) {
    wl.append(e.getKey());
    wm.append(row.method().isEmpty() ? "teacher" : row.method());
    for (int i = 0; i < wk.size(); i++) wc.get(i).append(pm(row, wk.get(i), 1));
  }
written.addColumns(wl, wm);
wc.forEach(written::addColumns);
written
'''

GENERALISATION = r'''
// The committed three-seed studies of experiments/text-distillation: Jane Austen (held-out novel Persuasion,
// out of domain The Devil's Dictionary) and Firefox's Arabic strings (out of domain Thunderbird's).
Path distillation = home.resolve("experiments/text-distillation/results");
Map<String, Map<String, double[]>> committed = new LinkedHashMap<>();
committed.put("Austen", figures(distillation.resolve("austen")));
committed.put("Arabic", figures(distillation.resolve("arabic")));
List<String> methods = List.of("next-token", "forward-kl", "reverse-kl", "jsd", "sequence-kd", "on-policy-jsd");

/** A table with one row per corpus and method, one column per key. */
Table committedTable(String title, List<String> keys, List<String> headers, boolean teacher) {
  Table t = Table.create(title);
  StringColumn c = StringColumn.create("corpus"), m = StringColumn.create("method");
  List<StringColumn> cols = headers.stream().map(StringColumn::create).toList();
  for (var e : committed.entrySet())
    for (String method : teacher ? Stream.concat(Stream.of("teacher"), methods.stream()).toList() : methods) {
      c.append(e.getKey());
      m.append(method);
      for (int i = 0; i < keys.size(); i++) cols.get(i).append(cell(e.getValue(), method, keys.get(i)));
    }
  t.addColumns(c, m);
  cols.forEach(t::addColumns);
  return t;
}

committedTable("generalisation: bits per character per set (lower is better)",
    List.of("bpc:test", "bpc:held_out", "bpc:out_of_domain", "bpc:test_typos_10", "test/delta_bpc_vs_teacher"),
    List.of("test", "held-out novel", "out of domain", "test, 10 % typos", "gap to teacher (test)"), true)
'''

IMITATION = r'''
committedTable("imitation and calibration on test; confidence against accuracy out of domain",
    List.of("test/agreement", "acc:test", "test/churn", "test/ece", "test/ece_scaled", "out_of_domain/confidence", "acc:out_of_domain"),
    List.of("agreement with teacher", "accuracy", "churn between seeds", "ECE", "ECE after τ", "confidence, out of domain",
        "accuracy, out of domain"), true)

'''

STYLE = r'''
committedTable("the teacher's style or the text's: bits per character after the same test prompts",
    List.of("style/bpc_teacher_text", "style/bpc_real_text"),
    List.of("on text the teacher wrote", "on the real text"), false)
'''

RARE = r'''
List<String> buckets = List.of("unseen", "rare", "uncommon", "common", "frequent");
CategoryChart rare = new CategoryChartBuilder().width(820).height(400)
    .title("Austen: gap to the teacher by how often the word occurs in training").yAxisTitle("bits/char above the teacher").build();
rare.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
Map<String, double[]> austen = committed.get("Austen");
for (String m : List.of("next-token", "forward-kl", "reverse-kl"))
  rare.addSeries(m, buckets, buckets.stream().map(b -> austen.get(m + "|test/words_" + b + "/bpc")[0]
      - austen.get("teacher|test/words_" + b + "/bpc")[0]).toList());
System.out.println("share of test positions: " + buckets.stream()
    .map(b -> String.format("%s %.1f %%", b, 100 * austen.get("teacher|test/words_" + b + "/share")[0])).toList());
rare
'''

FALLBACK = r'''
committedTable("degeneration, error accumulation, and the teacher as a fallback (test)",
    List.of("generation/seq_rep_4", "generation/looping", "exposure/excess", "test/cascade_50/bpc", "test/spec_acceptance"),
    List.of("seq-rep-4", "looping", "excess KL on own text", "cascade, half deferred: bits/char", "draft acceptance α"), true)
'''

OMITTED = r'''
// experiments/text-kd/omitted.yaml: no line with "Harriet" in the students' training text; the teacher saw them.
Map<String, double[]> omitted = figures(home.resolve("experiments/text-kd/results/omitted"));
for (String m : List.of("teacher", "next-token", "forward-kl"))
  System.out.println(String.format("%-12s inside the word on test: %s bits/char", m, cell(omitted, m, "test/omitted_words/bpc")));
'''

STATEMENT = r'''
// The Loss Statement the English study wrote, the forward-KL student's section: every sentence is generated from
// the measured numbers.
StudyPipeline.render(runs.get("en"), line -> {});  // writes the report, the statement and their charts
String statement = Files.readString(runs.get("en").outputDir().resolve("loss-statement.md"));
int from = statement.indexOf("## gpt-2x48 / forward-kl\n");
markdown(statement.substring(from, statement.indexOf("\n## ", from + 10)))
'''

CELLS = ["SETUP", "PLANTED", "PLANTED_CHART", "TOKENS_AND_TEXT", "GENERALISATION", "IMITATION", "STYLE", "RARE", "FALLBACK",
         "OMITTED", "STATEMENT"]
MIN_IMAGES = 2  # inherited vs corrected, rare words
