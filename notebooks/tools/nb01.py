"""Notebook 1, soft targets and temperature: the code cells (shared by every edition)."""

SETUP = r'''
import org.knowm.xchart.*;
import java.awt.image.BufferedImage;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
String yaml = """
    name: nb01-soft-targets
    data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d}
    teacher:
      train:
        architecture: {id: mlp, params: {hidden: %s}}
        training: {epochs: %d}
    students:
      - {name: probe, architecture: {id: mlp, params: {hidden: [16]}}}
    strategies: [{id: hinton-kd}]
    training: {epochs: 1, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
    seeds: [1]
    evaluation: {corruptions: false}
    output: {dir: "%s", plots: false}
    """.formatted(quick ? 4000 : 0, quick ? "[256]" : "[1200, 1200]", quick ? 2 : 8,
        runsDir());
Study study = new StudyParser(registry()).parse(yaml, Path.of("01-soft-targets.yaml"), Map.of());
study
'''

RUN = r'''
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
System.out.println(String.format("teacher: %s, test accuracy %.2f %%",
    result.teacher().description(), 100 * result.teacher().testAcc()));
'''

DATA = r'''
var splits = FashionMnist.load(study);
float[] logits = result.teacherPredictions().testLogits();
int[] labels = splits.test().labels();
int n = labels.length, k = FashionMnist.CLASSES;
List<String> names = FashionMnist.CLASS_NAMES;

/** Softmax of row i of the teacher's logits at temperature t. */
double[] soft(int i, double t) {
  double max = Double.NEGATIVE_INFINITY;
  for (int c = 0; c < k; c++) max = Math.max(max, logits[i * k + c] / t);
  double[] p = new double[k];
  double sum = 0;
  for (int c = 0; c < k; c++) sum += p[c] = Math.exp(logits[i * k + c] / t - max);
  for (int c = 0; c < k; c++) p[c] /= sum;
  return p;
}

int argmax(double[] p) {
  int best = 0;
  for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
  return best;
}

// one correctly classified test image each of a shirt, a pullover and a sneaker
int[] picks = IntStream.of(6, 2, 7).map(cls -> IntStream.range(0, n)
    .filter(i -> labels[i] == cls && argmax(soft(i, 1)) == cls).findFirst().getAsInt()).toArray();
BufferedImage strip = new BufferedImage(3 * 28 * 4 + 2 * 8, 28 * 4, BufferedImage.TYPE_BYTE_GRAY);
byte[] px = splits.test().pixels();
for (int j = 0; j < picks.length; j++)
  for (int y = 0; y < 28 * 4; y++)
    for (int x = 0; x < 28 * 4; x++)
      strip.getRaster().setSample(j * (28 * 4 + 8) + x, y, 0, px[picks[j] * 784 + (y / 4) * 28 + x / 4] & 0xff);
strip
'''

BARS = r'''
for (int i : picks) {
  CategoryChart chart = new CategoryChartBuilder().width(820).height(300)
      .title("teacher's soft targets for test image " + i + " (" + names.get(labels[i]) + ")")
      .xAxisTitle("class").yAxisTitle("probability").build();
  chart.getStyler().setXAxisLabelRotation(30);
  chart.getStyler().setXAxisTickMarkSpacingHint(20);  // show every class name
  for (double t : new double[] {1, 4, 10}) {
    double[] p = soft(i, t);
    chart.addSeries("T = " + (int) t, names, Arrays.stream(p).boxed().toList());
  }
  display(chart);
}
'''

ENTROPY = r'''
double[] temps = {1, 1.5, 2, 3, 4, 6, 8, 12, 16, 20};
double[] entropy = new double[temps.length], darkMass = new double[temps.length];
for (int j = 0; j < temps.length; j++) {
  for (int i = 0; i < n; i++) {
    double[] p = soft(i, temps[j]);
    int top = argmax(p);
    for (int c = 0; c < k; c++) {
      if (p[c] > 0) entropy[j] -= p[c] * Math.log(p[c]) / Math.log(2);
      if (c != top) darkMass[j] += p[c];
    }
  }
  entropy[j] /= n;
  darkMass[j] /= n;
}
XYChart curve = new XYChartBuilder().width(820).height(380)
    .title("how temperature spreads the teacher's probability mass")
    .xAxisTitle("temperature T (mean over " + n + " test images)").yAxisTitle("bits / probability").build();
curve.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
curve.addSeries("entropy of p(T) in bits (max log2 10 = 3.32)", temps, entropy);
curve.addSeries("mass outside the teacher's top class", temps, darkMass);
for (int j = 0; j < temps.length; j++)
  System.out.println(String.format("T = %4.1f   entropy %.3f bits   mass outside the top class %.4f",
      temps[j], entropy[j], darkMass[j]));
curve
'''

SIMILARITY = r'''
// mean soft target at T = 4 over the test images of each true class: the teacher's class-similarity
double[][] sim = new double[k][k];
int[] count = new int[k];
for (int i = 0; i < n; i++) {
  double[] p = soft(i, 4);
  count[labels[i]]++;
  for (int c = 0; c < k; c++) sim[labels[i]][c] += p[c];
}
for (int a = 0; a < k; a++) for (int c = 0; c < k; c++) sim[a][c] /= count[a];

var table = tech.tablesaw.api.Table.create("where each class's soft mass goes besides itself (T = 4)");
var clsCol = tech.tablesaw.api.StringColumn.create("true class");
var selfCol = tech.tablesaw.api.DoubleColumn.create("p(own class)");
var firstCol = tech.tablesaw.api.StringColumn.create("most similar");
var firstP = tech.tablesaw.api.DoubleColumn.create("p(most similar)");
var secondCol = tech.tablesaw.api.StringColumn.create("second");
var secondP = tech.tablesaw.api.DoubleColumn.create("p(second)");
for (int a = 0; a < k; a++) {
  final int row = a;
  Integer[] order = IntStream.range(0, k).filter(c -> c != row).boxed()
      .sorted((x, y) -> Double.compare(sim[row][y], sim[row][x])).toArray(Integer[]::new);
  clsCol.append(names.get(a));
  selfCol.append(Math.round(sim[a][a] * 1000) / 1000.0);
  firstCol.append(names.get(order[0]));
  firstP.append(Math.round(sim[a][order[0]] * 1000) / 1000.0);
  secondCol.append(names.get(order[1]));
  secondP.append(Math.round(sim[a][order[1]] * 1000) / 1000.0);
}
table.addColumns(clsCol, selfCol, firstCol, firstP, secondCol, secondP);
table
'''

HEATMAP = r'''
HeatMapChart heat = new HeatMapChartBuilder().width(760).height(620)
    .title("mean soft target p(column | row's images), T = 4, log10").build();
heat.getStyler().setShowValue(false);
heat.getStyler().setDecimalPattern("0.00");
heat.getStyler().setXAxisLabelRotation(40);
heat.getStyler().setXAxisTickMarkSpacingHint(20);
heat.getStyler().setYAxisTickMarkSpacingHint(20);
List<Number[]> cells = new ArrayList<>();
for (int a = 0; a < k; a++)
  for (int c = 0; c < k; c++)
    cells.add(new Number[] {c, a, Math.log10(Math.max(sim[a][c], 1e-6))});
heat.addSeries("log10 p", names, names, cells);
heat
'''

GRADIENT = r'''
// Why Hinton multiplies the soft loss by T^2: the gradient of KL(p_t(T) || p_s(T)) with respect to the
// student's logits is (p_s(T) - p_t(T)) / T, and for large T both soft targets approach uniform with
// differences ~ z / T, so the gradient shrinks like 1/T^2. Here the "student" is the teacher's own logits
// halved (a smoother, imperfect copy), and we measure the mean L2 norm of the exact gradient.
double[] gradNorm = new double[temps.length], scaled = new double[temps.length];
for (int j = 0; j < temps.length; j++) {
  double t = temps[j];
  for (int i = 0; i < n; i++) {
    double[] pt = soft(i, t), zs = new double[k];
    double max = Double.NEGATIVE_INFINITY, sum = 0, sq = 0;
    for (int c = 0; c < k; c++) max = Math.max(max, zs[c] = logits[i * k + c] / 2.0 / t);
    double[] ps = new double[k];
    for (int c = 0; c < k; c++) sum += ps[c] = Math.exp(zs[c] - max);
    for (int c = 0; c < k; c++) { double g = (ps[c] / sum - pt[c]) / t; sq += g * g; }
    gradNorm[j] += Math.sqrt(sq) / n;
  }
  scaled[j] = gradNorm[j] * t * t;
}
XYChart grads = new XYChartBuilder().width(820).height(320)
    .title("gradient size of the soft loss vs temperature").xAxisTitle("temperature T")
    .yAxisTitle("mean ||dL/dz_s||").build();
grads.getStyler().setYAxisLogarithmic(true);
grads.addSeries("without T^2", temps, gradNorm);
grads.addSeries("with T^2 (Hinton)", temps, scaled);
int t4 = 4, last = temps.length - 1;  // temps[4] = 4
System.out.println(String.format("from T = 4 to T = 20 the gradient shrinks %.1fx without T^2; with T^2 it changes by %.2fx",
    gradNorm[t4] / gradNorm[last], scaled[last] / scaled[t4]));
grads
'''

CELLS = ["SETUP", "RUN", "DATA", "BARS", "ENTROPY", "SIMILARITY", "HEATMAP", "GRADIENT"]
MIN_IMAGES = 7  # image strip, 3 bar charts, entropy curve, heat map, gradient curve
