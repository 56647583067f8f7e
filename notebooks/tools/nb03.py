"""Notebook 3, feature-based KD: the code cells."""

SETUP = r'''
import org.knowm.xchart.*;
import java.awt.image.BufferedImage;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.Shape;

// quick() is the small setting the test suite uses; the committed outputs come from the full run
boolean quick = quick();
int hintEpochs = quick ? 1 : 2;
String yaml = """
    name: nb03-feature-kd
    data: {dir: /usr/share/datasets/fashion-mnist, validation: %d, split_seed: 42, train_limit: %d, test_limit: %d}
    teacher:
      train:
        architecture: {id: cnn, params: {channels: [32, 64], hidden: [256]}}
        training: {epochs: %d}
    students:
      - {name: cnn-small, architecture: {id: cnn, params: {channels: [8, 16], hidden: [64]}}}
    strategies:
      - {id: labels-only}
      - {name: hinton-kd, id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
      - name: fitnets
        terms:
          - {id: labels-only}
          - {id: fitnets, params: {student_layer: hidden1, teacher_layer: hidden1}}
      - name: fitnets-2stage
        terms:
          - {id: fitnets, params: {student_layer: hidden1, teacher_layer: hidden1}, until_epoch: %d}
          - {id: hinton-kd, params: {temperature: 4, alpha: 0.9}, from_epoch: %d}
      - name: at
        terms:
          - {id: labels-only}
          - {id: at, params: {student_layer: block2, teacher_layer: block2}}
      - name: at+kd
        terms:
          - {id: hinton-kd, params: {temperature: 4, alpha: 0.9}}
          - {id: at, params: {student_layer: block2, teacher_layer: block2}}
    training: {epochs: %d, batch_size: 128, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}, schedule: {type: cosine, warmup_epochs: 1}}
    seeds: [1]
    evaluation: {corruptions: false}
    output: {dir: "%s", plots: false}
    """.formatted(quick ? 1000 : 5000, quick ? 1000 : 10000, quick ? 2000 : 0, quick ? 1 : 4, hintEpochs, hintEpochs + 1, quick ? 2 : 5, runsDir());
Study study = new StudyParser(registry()).parse(yaml, Path.of("03-feature-kd.yaml"), Map.of());
study
'''

TAPS = r'''
// the taps an architecture exposes, and their shapes for one 28x28 image
ModelShape shape = new ModelShape(new Shape(784), 10);
for (var arch : List.of(study.teacher().trainArchitecture(), study.students().get(0).architecture())) {
  Student s = registry().students().get(arch.id()).create(arch.params(), shape);
  try (NDManager m = NDManager.newBaseManager()) {
    var block = s.block();
    block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 784));
    NDList out = block.forward(new ai.djl.training.ParameterStore(m, false), new NDList(m.zeros(new Shape(1, 784))), false);
    System.out.println(s.describe());
    for (int i = 0; i < s.taps().size(); i++)
      System.out.println(String.format("    %-8s %s", s.taps().get(i), out.get(i + 1).getShape()));
  }
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

ATTENTION = r'''
// What AT transfers: the teacher's spatial attention map Q = mean_c |A|^2 of its block taps, for a few test images
var splits = FashionMnist.load(study);
Path teacherDir = StudyRunner.teacherDir(study, result.dataHash());
long[] dims = splits.test().sampleDims();   // (1, 28, 28)
ModelShape dataShape = new ModelShape(new Shape(dims), 10);
int[] show = {0, 1, 2, 3, 4, 5};
int zoom = 4;
BufferedImage panel = new BufferedImage(show.length * (28 * zoom + 6), 3 * (28 * zoom + 6), BufferedImage.TYPE_BYTE_GRAY);
try (NDManager m = NDManager.newBaseManager()) {
  Teacher teacher = registry().teachers().get("djl-model").create(
      new Params(Map.of("path", teacherDir.toString())),
      new org.taqtir.core.teacher.DefaultTeacherContext(dataShape, m, Path.of("."), registry()));
  NDArray x = m.create(splits.test().rows(0, show.length), new Shape(show.length, dims[0], dims[1], dims[2]));
  StepOutputs o = teacher.forward(x, Set.of("block1", "block2"));
  byte[] px = splits.test().pixels();
  for (int j = 0; j < show.length; j++) {
    int ox = j * (28 * zoom + 6);
    for (int y = 0; y < 28 * zoom; y++)
      for (int xx = 0; xx < 28 * zoom; xx++)
        panel.getRaster().setSample(ox + xx, y, 0, px[show[j] * 784 + (y / zoom) * 28 + xx / zoom] & 0xff);
    int row = 1;
    for (String tap : List.of("block1", "block2")) {
      NDArray a = o.feature(tap).get(j);                     // (C, H, W)
      float[] q = a.square().mean(new int[] {0}).toFloatArray();  // (H, W), flattened
      int h = (int) a.getShape().get(1), w = (int) a.getShape().get(2);
      float max = 0;
      for (float v : q) max = Math.max(max, v);
      for (int y = 0; y < 28 * zoom; y++)
        for (int xx = 0; xx < 28 * zoom; xx++)
          panel.getRaster().setSample(ox + xx, row * (28 * zoom + 6) + y, 0,
              (int) (255 * q[(y * h / (28 * zoom)) * w + xx * w / (28 * zoom)] / max));
      System.out.println(String.format("image %d, %s: %s map", j, tap, a.getShape()));
      row++;
    }
  }
  teacher.close();
}
panel
'''

CELLS = ["SETUP", "TAPS", "RUN", "CURVES", "BARS", "ATTENTION"]
MIN_IMAGES = 3  # learning curves, accuracy bars, attention panel
