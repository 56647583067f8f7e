"""Notebook 11, forward vs reverse KL for language models: the code cells (shared by every edition)."""

SETUP = r'''
import org.knowm.xchart.*;
import org.taqtir.text.task.LmReport;
import tech.tablesaw.api.*;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
Path home = Path.of(System.getProperty("taqtir.home", "."));

/** ln of a normal density at x, without the constant that normalising removes. */
double logNormal(double x, double mu, double sigma) {
  double z = (x - mu) / sigma;
  return -0.5 * z * z - Math.log(sigma);
}

/** ln Σ exp(a_i), computed without overflow. */
double logSumExp(double[] a) {
  double m = Arrays.stream(a).max().getAsDouble(), s = 0;
  for (double v : a) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** Log-weights on the grid → log-probabilities. */
double[] normalise(double[] logw) {
  double z = logSumExp(logw);
  return Arrays.stream(logw).map(v -> v - z).toArray();
}

/** KL(a ‖ b) = Σ a_i (ln a_i − ln b_i), in nats, from log-probabilities. */
double kl(double[] la, double[] lb) {
  double s = 0;
  for (int i = 0; i < la.length; i++) s += Math.exp(la[i]) * (la[i] - lb[i]);
  return s;
}
'''

TOY = r'''
// The teacher: two modes, 60 % of the mass around -2 and 40 % around 2.5, on 241 points of [-6, 6].
int G = 241;
double[] xs = IntStream.range(0, G).mapToDouble(i -> -6 + 12.0 * i / (G - 1)).toArray();
double[] teacher = normalise(Arrays.stream(xs).map(x -> logSumExp(new double[] {
    Math.log(0.6) + logNormal(x, -2, 0.6), Math.log(0.4) + logNormal(x, 2.5, 0.6)})).toArray());

// The student: one bump, a normal N(mu, sigma²) on the same grid. It cannot have two modes.
double[] student(double mu, double sigma) {
  return normalise(Arrays.stream(xs).map(x -> logNormal(x, mu, sigma)).toArray());
}

/** The student (mu, sigma) that minimises a divergence, by exhaustive search; mu starts at `from`. */
double[] fit(ToDoubleFunction<double[]> divergence, double from) {
  double[] best = {0, 0, Double.POSITIVE_INFINITY};
  for (int a = 0; from + 0.05 * a <= 5 + 1e-9; a++)
    for (int b = 0; 0.2 + 0.02 * b <= 4 + 1e-9; b++) {
      double mu = from + 0.05 * a, sigma = 0.2 + 0.02 * b;
      double d = divergence.applyAsDouble(student(mu, sigma));
      if (d < best[2]) best = new double[] {mu, sigma, d};
    }
  return best;
}

/** The probability a distribution puts on lo < x < hi. */
double mass(double[] lp, double lo, double hi) {
  double s = 0;
  for (int i = 0; i < G; i++) if (xs[i] > lo && xs[i] < hi) s += Math.exp(lp[i]);
  return s;
}

double[] forwardFit = fit(q -> kl(teacher, q), -5);   // minimises KL(teacher ‖ student)
double[] reverseFit = fit(q -> kl(q, teacher), -5);   // minimises KL(student ‖ teacher)
double[] reverseOther = fit(q -> kl(q, teacher), 0.25); // the same, mu kept right of the gap
Table toy = Table.create("one bump fitted to two modes (KL in nats)");
StringColumn tw = StringColumn.create("student");
DoubleColumn tmu = DoubleColumn.create("mu"), tsd = DoubleColumn.create("sigma"),
    tf = DoubleColumn.create("KL(T ‖ S)"), tr = DoubleColumn.create("KL(S ‖ T)"),
    tl = DoubleColumn.create("mass near -2"), th = DoubleColumn.create("mass near 2.5"),
    tg = DoubleColumn.create("mass in the gap");
for (var e : Map.of("forward KL", forwardFit, "reverse KL", reverseFit,
    "reverse KL, other mode (local minimum)", reverseOther).entrySet().stream()
    .sorted(Map.Entry.comparingByKey()).toList()) {
  double[] q = student(e.getValue()[0], e.getValue()[1]);
  tw.append(e.getKey());
  tmu.append(Math.round(100 * e.getValue()[0]) / 100.0);
  tsd.append(Math.round(100 * e.getValue()[1]) / 100.0);
  tf.append(Math.round(1000 * kl(teacher, q)) / 1000.0);
  tr.append(Math.round(1000 * kl(q, teacher)) / 1000.0);
  tl.append(Math.round(1000 * mass(q, -3.5, -0.5)) / 1000.0);
  th.append(Math.round(1000 * mass(q, 1, 4)) / 1000.0);
  tg.append(Math.round(1000 * mass(q, -0.5, 1)) / 1000.0);
}
toy.addColumns(tw, tmu, tsd, tf, tr, tl, th, tg);
System.out.println(String.format("the teacher: %.3f near -2, %.3f near 2.5, %.3f in the gap",
    mass(teacher, -3.5, -0.5), mass(teacher, 1, 4), mass(teacher, -0.5, 1)));
toy
'''

TOY_CHART = r'''
XYChart modes = new XYChartBuilder().width(760).height(380)
    .title("Forward KL covers both modes; reverse KL picks one").xAxisTitle("x").yAxisTitle("probability").build();
modes.getStyler().setMarkerSize(0).setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
modes.addSeries("teacher", xs, Arrays.stream(teacher).map(Math::exp).toArray());
modes.addSeries("student, forward KL", xs, Arrays.stream(student(forwardFit[0], forwardFit[1])).map(Math::exp).toArray());
modes.addSeries("student, reverse KL", xs, Arrays.stream(student(reverseFit[0], reverseFit[1])).map(Math::exp).toArray());
modes
'''

FLEXIBLE = r'''
/**
 * A student that can be any distribution on the grid (one free logit per point), trained by gradient descent
 * from the uniform distribution. The gradients with respect to the logits z: forward KL, q - p; reverse KL,
 * q_i (ln q_i - ln p_i - KL(q ‖ p)).
 */
double[] descend(boolean forward, int steps, double lr) {
  double[] z = new double[G];
  for (int s = 0; s < steps; s++) {
    double[] lq = normalise(z);
    double k = kl(lq, teacher);
    for (int i = 0; i < G; i++) {
      double q = Math.exp(lq[i]);
      z[i] -= lr * (forward ? q - Math.exp(teacher[i]) : q * (lq[i] - teacher[i] - k));
    }
  }
  return normalise(z);
}
for (boolean forward : new boolean[] {true, false}) {
  double[] q = descend(forward, 2000, 100);
  System.out.println(String.format("%s KL, 2,000 steps: KL(T ‖ S) %.5f, KL(S ‖ T) %.5f; mass near 2.5: %.3f (teacher %.3f)",
      forward ? "forward" : "reverse", kl(teacher, q), kl(q, teacher), mass(q, 1, 4), mass(teacher, 1, 4)));
}
'''

STUDY = r'''
/**
 * A small language model distilled on the facts corpus (made in code, in English or Arabic): sentences such as
 * "Maya Reed lives in Lisbon." or «يسكن سامي حداد في تونس.», each fact stated many times in several templates.
 * The teacher is a 3-layer character GPT; the student a 1-layer GPT of width 32, too small to hold every fact,
 * trained on the same text three ways: next-token on the text alone, forward KL and reverse KL to the teacher.
 */
Study factsStudy(String language) {
  String yaml = """
      name: nb11-facts-%s
      task: language-modelling
      data: {source: text, corpus: facts, language: %s, people: %d, repeats: %d, every: 20, window: 64, tokenizer: {id: char}}
      teacher:
        train:
          architecture: {id: gpt, params: {layers: %d, width: %d, heads: 4}}
          training: {epochs: %d, batch_size: 16, optimizer: {type: adam, lr: 0.001}, schedule: {type: cosine, min_lr: 0.0001}}
      students:
        - {name: gpt-1x32, architecture: {id: gpt, params: {layers: 1, width: 32, heads: 4}}}
      strategies:
        - {id: next-token}
        - {id: forward-kl}
        - {id: reverse-kl}
      training: {epochs: %d, batch_size: 16, optimizer: {type: adam, lr: 0.003}, schedule: {type: cosine, min_lr: 0.0003}}
      seeds: %s
      evaluation: {samples: 2, typos: []}
      output: {dir: "%s", plots: false}
      """.formatted(language, language, quick ? 20 : 60, quick ? 8 : 20, quick ? 2 : 3, quick ? 64 : 128,
          quick ? 4 : 20, quick ? 4 : 20, quick ? "[1]" : "[1, 2, 3]", runsDir());
  return new StudyParser(registry()).parse(yaml, Path.of("nb11-facts-" + language + ".yaml"), Map.of());
}

Map<String, LmReport> facts = new LinkedHashMap<>();
for (String language : List.of("en", "ar"))
  facts.put(language, (LmReport) new StudyRunner(registry(), run -> progress(), s -> {}).run(factsStudy(language)).report());

/** "mean ± std" of a measure of a row, or of its bits per character on a set ("bpc:test"). */
String pm(LmReport.Row row, String key, double scale) {
  boolean bpc = key.startsWith("bpc:");
  String k = bpc ? key.substring(4) : key;
  Double m = (bpc ? row.bpc() : row.measures()).get(k), s = (bpc ? row.bpcStd() : row.measuresStd()).get(k);
  if (m == null || m.isNaN()) return "";
  return s == null || s.isNaN() ? String.format("%.3f", scale * m) : String.format("%.3f ± %.3f", scale * m, scale * s);
}

Table rows(String title, List<String> keys, List<String> headers) {
  Table t = Table.create(title);
  StringColumn lang = StringColumn.create("corpus"), model = StringColumn.create("model");
  List<StringColumn> cols = headers.stream().map(StringColumn::create).toList();
  for (var e : facts.entrySet())
    for (LmReport.Row row : e.getValue().rows()) {
      lang.append(e.getKey().equals("en") ? "facts, English" : "facts, Arabic");
      model.append(row.method().isEmpty() ? "teacher" : row.method());
      for (int i = 0; i < keys.size(); i++) cols.get(i).append(pm(row, keys.get(i), 1));
    }
  t.addColumns(lang, model);
  cols.forEach(t::addColumns);
  return t;
}

rows("next-token prediction on test (mean ± std over seeds)",
    List.of("bpc:test", "test/agreement", "test/kl_teacher_student", "test/kl_student_teacher", "test/confidence", "test/ece"),
    List.of("bits/char", "agreement with teacher", "KL(T ‖ S)", "KL(S ‖ T)", "mean confidence", "ECE"))
'''

GENERATED = r'''
rows("what each model writes: 256 sentences sampled at temperature 1 after sentence ends in test",
    List.of("facts_gen/well_formed", "facts_gen/true", "facts_gen/false", "facts_gen/invented", "facts_gen/value_entropy", "facts/accuracy"),
    List.of("well formed", "true fact", "false fact", "invented", "entropy of the values (bits)", "facts right when asked"))
'''

SAMPLES = r'''
// One sampled continuation per model and corpus, from the same test prompt (the report's own samples).
Table samples = Table.create("the same prompt, continued by each model (sampled, T = 0.8)");
StringColumn sc = StringColumn.create("corpus"), sm = StringColumn.create("model"), st = StringColumn.create("continuation");
for (var e : facts.entrySet())
  for (LmReport.Row row : e.getValue().rows()) {
    var s = row.samples().stream().filter(x -> x.decoding().startsWith("sampled")).findFirst().orElseThrow();
    sc.append(e.getKey());
    sm.append(row.method().isEmpty() ? "teacher" : row.method());
    st.append(s.text().replace("\n", " ").strip());
  }
samples.addColumns(sc, sm, st);
System.out.println("prompt (en): …" + facts.get("en").rows().get(0).samples().stream()
    .filter(x -> x.decoding().startsWith("sampled")).findFirst().orElseThrow().prompt().replace("\n", " "));
samples
'''

COMMITTED = r'''
// The committed study experiments/text-distillation (three seeds per method): Jane Austen and Firefox's Arabic
// interface strings, the teacher and student of experiments/text-kd. probes.csv and results.csv hold every figure.
Path distillation = home.resolve("experiments/text-distillation/results");

Map<String, Map<String, double[]>> committed = new LinkedHashMap<>();
committed.put("Austen", figures(distillation.resolve("austen")));
committed.put("Arabic", figures(distillation.resolve("arabic")));
List<String> methods = List.of("teacher", "next-token", "forward-kl", "reverse-kl", "jsd", "sequence-kd", "on-policy-jsd");

Table real = Table.create("real text, 3 seeds: bits per character on test (lower is better) and what the students copy");
StringColumn rc = StringColumn.create("corpus"), rm = StringColumn.create("method"), rb = StringColumn.create("test bits/char"),
    rd = StringColumn.create("Δ vs label-only (95 % interval)"), ra = StringColumn.create("agreement"), re = StringColumn.create("ECE"),
    ro = StringColumn.create("out-of-domain: confidence / accuracy");
for (var e : committed.entrySet())
  for (String m : methods) {
    Map<String, double[]> f = e.getValue();
    if (!f.containsKey(m + "|bpc:test")) continue;
    rc.append(e.getKey());
    rm.append(m.equals("next-token") ? "next-token (label-only)" : m);
    rb.append(cell(f, m, "bpc:test"));
    double[] d = f.get(m + "|test/delta_bpc_vs_baseline");
    rd.append(d == null ? "" : String.format("%+.3f (%+.3f to %+.3f)", d[0], f.get(m + "|test/delta_bpc_vs_baseline_lo")[0],
        f.get(m + "|test/delta_bpc_vs_baseline_hi")[0]));
    ra.append(cell(f, m, "test/agreement"));
    re.append(cell(f, m, "test/ece"));
    double[] oc = f.get(m + "|out_of_domain/confidence");
    ro.append(oc == null ? "" : String.format("%.3f / %.3f", oc[0], f.get(m + "|acc:out_of_domain")[0]));
  }
real.addColumns(rc, rm, rb, rd, ra, re, ro);
real
'''

COMMITTED_CHART = r'''
CategoryChart bars = new CategoryChartBuilder().width(820).height(420)
    .title("Test bits per character, mean ± std over 3 seeds").yAxisTitle("bits per character").build();
bars.getStyler().setXAxisLabelRotation(20);
bars.getStyler().setYAxisMin(0.0);  // bars start at zero: a cut axis exaggerates differences
bars.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
List<String> students = methods.subList(1, methods.size());
for (var e : committed.entrySet())
  bars.addSeries(e.getKey(), students, students.stream().map(m -> e.getValue().getOrDefault(m + "|bpc:test", new double[] {Double.NaN})[0]).toList(),
      students.stream().map(m -> e.getValue().getOrDefault(m + "|bpc:test", new double[] {0, 0})[1]).map(s -> Double.isNaN(s) ? 0 : s).toList());
for (var e : committed.entrySet())
  System.out.println(String.format("teacher, %s: %.3f bits/char on test", e.getKey(), e.getValue().get("teacher|bpc:test")[0]));
bars
'''

FIGURES = r'''
/** A committed study's figures, "method|key" -> {mean, std}: bits/char and accuracy per set (results.csv, keys
 * "bpc:<set>", "acc:<set>") and every probe (probes.csv). */
Map<String, double[]> figures(Path dir) throws IOException {
  Map<String, double[]> out = new HashMap<>();
  List<String> results = Files.readAllLines(dir.resolve("results.csv"));
  for (String line : results.subList(1, results.size())) {
    String[] f = line.split(",");
    String method = f[1].isEmpty() ? "teacher" : f[1];
    out.put(method + "|bpc:" + f[3], new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5])});
    out.put(method + "|acc:" + f[3], new double[] {Double.parseDouble(f[6]), Double.NaN});
  }
  List<String> probes = Files.readAllLines(dir.resolve("probes.csv"));
  for (String line : probes.subList(1, probes.size())) {
    String[] f = line.split(",");
    out.put((f[1].isEmpty() ? "teacher" : f[1]) + "|" + f[3], new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5])});
  }
  return out;
}
String cell(Map<String, double[]> f, String method, String key) {
  double[] v = f.get(method + "|" + key);
  if (v == null || Double.isNaN(v[0])) return "";
  return Double.isNaN(v[1]) ? String.format("%.3f", v[0]) : String.format("%.3f ± %.3f", v[0], v[1]);
}

'''

SETUP = SETUP + FIGURES

CELLS = ["SETUP", "TOY", "TOY_CHART", "FLEXIBLE", "STUDY", "GENERATED", "SAMPLES", "COMMITTED", "COMMITTED_CHART"]
MIN_IMAGES = 2  # the two-mode toy, the committed bits per character
