package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.IdxDataset;

/**
 * Studies whose teacher comes from another stack: precomputed logits keyed by file row, an ONNX
 * model exported by PyTorch, and the refusal of feature strategies for such logits-only teachers.
 */
class ForeignTeacherStudyTest {

  @TempDir Path dir;

  private static final String ONNX =
      Path.of("../../plugins/teachers-onnx/src/test/resources/fixtures/fashion-cnn.onnx")
          .toAbsolutePath()
          .normalize()
          .toString();

  private String yaml(Path data, String teacher, String strategies) {
    return """
        name: foreign
        data: {dir: %s, validation: 200, split_seed: 3}
        teacher: %s
        students:
          - {name: small, architecture: {id: mlp, params: {hidden: [16]}}}
        strategies:
        %s
        training: {epochs: 1, batch_size: 32, optimizer: {type: sgd, lr: 0.05, momentum: 0.9}}
        seeds: [1]
        output: {dir: %s}
        evaluation: {corruptions: false}
        """
        .formatted(data, teacher, strategies, dir.resolve("runs"));
  }

  /** Logits 5·onehot(label) for every sample of an IDX file, in file order, as CSV. */
  private static void writePerfectLogits(Path data, String prefix, Path csv) throws IOException {
    Dataset d =
        IdxDataset.load(
            data.resolve(prefix + "-images-idx3-ubyte.gz"),
            data.resolve(prefix + "-labels-idx1-ubyte.gz"),
            10);
    StringBuilder sb = new StringBuilder();
    for (int label : d.labels()) {
      for (int c = 0; c < 10; c++) {
        sb.append(c == 0 ? "" : ",").append(c == label ? "5" : "0");
      }
      sb.append('\n');
    }
    Files.writeString(csv, sb.toString());
  }

  @Test
  void logitsFileRowsLineUpWithTheShuffledSplitsAndFeatureStrategiesAreRefused()
      throws IOException {
    Path data = TinyStudy.data(dir);
    writePerfectLogits(data, "train", dir.resolve("train.csv"));
    writePerfectLogits(data, "t10k", dir.resolve("test.csv"));
    String teacher = "{load: {id: logits-file, params: {train: train.csv, test: test.csv}}}";
    Path study =
        TinyStudy.write(
            dir, yaml(data, teacher, "  - {name: kd, id: hinton-kd, params: {temperature: 4}}"));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    // the logits are perfect only if every split's samples found their own file rows
    assertTrue(r.out().contains("val acc 1.0000, test acc 1.0000"), r.out());

    Path bad =
        TinyStudy.write(
            dir,
            yaml(data, teacher, "  - {name: kd, id: hinton-kd}\n  - {name: hint, id: fitnets}"));
    TinyStudy.Result refused = TinyStudy.cli("run", bad.toString());
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertTrue(
        refused
            .err()
            .contains(
                "method 'hint' (fitnets) needs teacher feature taps [hidden1], but teacher"
                    + " logits-file (logits-file train.csv (800 x 10) + test.csv (300 x 10),"
                    + " logits) exposes logits only; configured methods that fit this teacher:"
                    + " kd; strategies that need no teacher features: "),
        refused.err());
    assertTrue(!refused.out().contains("small/hint/seed1"), "refused before training");

    TinyStudy.write(
        dir, yaml(data, teacher, "  - {name: kd, id: hinton-kd, params: {temperature: 4}}"));
    TinyStudy.Result perBatch =
        TinyStudy.cli("run", study.toString(), "-P", "teacher.outputs=per-batch");
    assertEquals(2, perBatch.code(), perBatch.out() + perBatch.err());
    assertTrue(
        perBatch.err().contains("teacher.outputs: per-batch runs the teacher on every batch, but"),
        perBatch.err());
  }

  @Test
  void ensembleOfAnOnnxModelAndALogitsFileRecordsItsAggregation() throws IOException {
    Path data = TinyStudy.data(dir);
    writePerfectLogits(data, "train", dir.resolve("train.csv"));
    writePerfectLogits(data, "t10k", dir.resolve("test.csv"));
    String teacher =
        "{load: {id: ensemble, params: {aggregation: weighted, weights: [1, 3], members: [{id:"
            + " onnx, params: {path: "
            + ONNX
            + "}}, {id: logits-file, params: {train: train.csv, test: test.csv}}]}}}";
    Path study = TinyStudy.write(dir, yaml(data, teacher, "  - {name: kd, id: hinton-kd}"));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(
        r.out().contains("teacher: ensemble weighted weights [0.2500, 0.7500] of [onnx"), r.out());
    assertTrue(r.out().contains("small/kd/seed1: best epoch 1"), r.out());
  }

  @Test
  void aTrainedTeacherWithoutTheNamedTapIsRefusedBeforeItIsTrained() throws IOException {
    Path data = TinyStudy.data(dir);
    String teacher =
        "{train: {architecture: {id: mlp, params: {hidden: [64]}}, training: {epochs: 1}}}";
    Path study =
        TinyStudy.write(
            dir,
            yaml(data, teacher, "  - {name: hint, id: fitnets, params: {teacher_layer: hidden2}}"));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(
        r.err()
            .contains(
                "method 'hint' (fitnets) needs teacher feature taps [hidden2], but teacher mlp"
                    + " 784-64-10 exposes only taps [hidden1]; configured methods that fit this"
                    + " teacher: (none)"),
        r.err());
    assertTrue(!r.out().contains("teacher: training"), r.out());
  }

  @Test
  void onnxTeacherFromPyTorchDistilsNextToThePyTorchEngine() throws IOException {
    Path data = TinyStudy.data(dir);
    Path study =
        TinyStudy.write(
            dir,
            yaml(
                data,
                "{load: {id: onnx, params: {path: " + ONNX + "}}}",
                "  - {name: kd, id: hinton-kd}"));
    TinyStudy.Result r = TinyStudy.cli("run", study.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("teacher: onnx fashion-cnn.onnx (image (1, 28, 28)"), r.out());
    assertTrue(r.out().contains("small/kd/seed1: best epoch 1"), r.out());
  }
}
