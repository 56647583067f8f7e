"""Notebook 4, relation-based KD: the code cells."""

SETUP = r'''
import org.knowm.xchart.*;
import ai.djl.Model;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
String yaml = """
    name: nb04-relation-kd
    data: {dir: /usr/share/datasets/fashion-mnist, validation: 5000, split_seed: 42, train_limit: %d}
    teacher:
      train:
        architecture: {id: mlp, params: {hidden: %s}}
        training: {epochs: %d}
    students:
      - {name: mlp-128, architecture: {id: mlp, params: {hidden: [128]}}}
    strategies:
      - {id: labels-only}
      - name: rkd
        terms: [{id: labels-only}, {id: rkd, params: {teacher_layer: hidden2}}]
      - name: sp
        terms: [{id: labels-only}, {id: sp, params: {teacher_layer: hidden2}, weight: 3000}]
      - name: crd
        terms: [{id: labels-only}, {id: crd, params: {teacher_layer: hidden2, memory_mb: 4}, weight: 0.8}]
      - name: crd+kd
        terms:
          - {id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
          - {id: crd, params: {teacher_layer: hidden2, memory_mb: 4}, weight: 0.8}
    training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine}}
    seeds: %s
    evaluation: {corruptions: false}
    output: {dir: "%s", plots: false}
    """.formatted(quick ? 4000 : 0, quick ? "[256, 256]" : "[1200, 1200]", quick ? 2 : 8, quick ? 2 : 6,
        "[1]", runsDir());
Study study = new StudyParser(registry()).parse(yaml, Path.of("04-relation-kd.yaml"), Map.of());
study
'''

RUN = r'''
StudyResult result = new StudyRunner(registry(), run -> progress(), System.out::println).run(study);
ResultsTable.of(result)
'''

BARS = r'''
StudyCharts.testAccuracy(result, ResultsTable.of(result))
'''

LOAD = r'''
// Embeddings of 200 test images (20 per class, grouped by class) from the teacher (hidden2) and from each
// method's student of seed 1 (hidden1), reloaded from the weights the study saved in each run directory.
var splits = FashionMnist.load(study);
int perClass = 20, k = 10;
int[] labels = splits.test().labels();
int[] picked = IntStream.range(0, k).flatMap(c ->
    IntStream.range(0, labels.length).filter(i -> labels[i] == c).limit(perClass)).toArray();
var sample = splits.test().subset(picked);
long[] dims = splits.test().sampleDims();
ModelShape dataShape = new ModelShape(new Shape(dims), k);
NDManager nm = NDManager.newBaseManager();   // lives for the rest of the notebook
NDArray x = nm.create(sample.rows(0, picked.length), new Shape(picked.length, dims[0], dims[1], dims[2]));

Teacher teacher = registry().teachers().get("djl-model").create(
    new Params(Map.of("path", StudyRunner.teacherDir(study, result.dataHash()).toString())),
    new org.taqtir.core.teacher.DefaultTeacherContext(dataShape, nm, Path.of("."), registry()));
NDArray teacherEmb = teacher.forward(x, Set.of("hidden2")).feature("hidden2");

Map<String, NDArray> studentEmb = new LinkedHashMap<>();
for (RunSummary run : result.runs()) {
  if (run.seed() != 1) continue;
  var arch = study.students().get(0).architecture();
  Student s = registry().students().get(arch.id()).create(arch.params(), dataShape);
  try (Model model = Model.newInstance("student")) {
    model.setBlock(s.block());
    model.load(run.dir(), "student");
    NDList out = s.block().forward(new ParameterStore(nm, false), new NDList(x), false);
    studentEmb.put(run.method(), out.get(1 + s.taps().indexOf("hidden1")));
  }
}
System.out.println("teacher embedding " + teacherEmb.getShape() + ", students' " + studentEmb.values().iterator().next().getShape());
'''

RELATIONS = r'''
/** Cosine similarities between every pair of the 200 embeddings: the batch's "relations". */
double[][] relations(NDArray emb) {
  NDArray f = emb.reshape(emb.getShape().get(0), -1);
  NDArray n = f.div(f.norm(new int[] {1}, true).add(1e-12));
  float[] g = n.matMul(n.transpose()).toFloatArray();
  int b = (int) f.getShape().get(0);
  double[][] m = new double[b][b];
  for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) m[i][j] = g[i * b + j];
  return m;
}

double[][] gt = relations(teacherEmb);
var gap = tech.tablesaw.api.Table.create("how far each student's relations are from the teacher's (200 test images, seed 1)");
var mcol = tech.tablesaw.api.StringColumn.create("method");
var dcol = tech.tablesaw.api.DoubleColumn.create("mean |cos_s - cos_t| over pairs");
var ccol = tech.tablesaw.api.DoubleColumn.create("correlation of the two similarity matrices");
for (var e : studentEmb.entrySet()) {
  double[][] gs = relations(e.getValue());
  int b = gs.length;
  double sum = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  int pairs = 0;
  for (int i = 0; i < b; i++) for (int j = i + 1; j < b; j++) {
    double a = gs[i][j], t = gt[i][j];
    sum += Math.abs(a - t); sx += a; sy += t; sxx += a * a; syy += t * t; sxy += a * t; pairs++;
  }
  double cov = sxy / pairs - (sx / pairs) * (sy / pairs);
  double corr = cov / Math.sqrt((sxx / pairs - Math.pow(sx / pairs, 2)) * (syy / pairs - Math.pow(sy / pairs, 2)));
  mcol.append(e.getKey());
  dcol.append(Math.round(sum / pairs * 1e4) / 1e4);
  ccol.append(Math.round(corr * 1e4) / 1e4);
}
gap.addColumns(mcol, dcol, ccol);
gap
'''

HEATMAPS = r'''
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Viridis-like colour for v in [lo, hi]. */
int colour(double v, double lo, double hi) {
  double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
  double t = Math.max(0, Math.min(1, (v - lo) / (hi - lo))) * (stops.length - 1);
  int i = Math.min((int) t, stops.length - 2);
  double f = t - i;
  int r = (int) (stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
  int g = (int) (stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
  int b = (int) (stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
  return (r << 16) | (g << 8) | b;
}

List<String> panels = new ArrayList<>(List.of("teacher"));
for (String m : List.of("labels-only", "sp", "crd")) if (studentEmb.containsKey(m)) panels.add(m);
int b = picked.length, zoom = 2, pad = 12, top = 24, size = b * zoom;
BufferedImage maps = new BufferedImage(panels.size() * (size + pad) + pad, size + top + pad, BufferedImage.TYPE_INT_RGB);
Graphics2D g2 = maps.createGraphics();
g2.setColor(Color.WHITE);
g2.fillRect(0, 0, maps.getWidth(), maps.getHeight());
g2.setColor(Color.BLACK);
g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
for (int p = 0; p < panels.size(); p++) {
  String name = panels.get(p);
  double[][] m = name.equals("teacher") ? gt : relations(studentEmb.get(name));
  int ox = pad + p * (size + pad);
  g2.drawString(name.equals("teacher") ? "teacher (hidden2)" : "student: " + name, ox, 17);
  for (int i = 0; i < b; i++)
    for (int j = 0; j < b; j++)
      for (int dy = 0; dy < zoom; dy++)
        for (int dx = 0; dx < zoom; dx++)
          maps.setRGB(ox + j * zoom + dx, top + i * zoom + dy, colour(m[i][j], -0.2, 1.0));
}
g2.dispose();
maps
'''

CLEANUP = r'''
teacher.close();
nm.close();
'''

CELLS = ["SETUP", "RUN", "BARS", "LOAD", "RELATIONS", "HEATMAPS", "CLEANUP"]
MIN_IMAGES = 2  # accuracy bars, similarity maps
