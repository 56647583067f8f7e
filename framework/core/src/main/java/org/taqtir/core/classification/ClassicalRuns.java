package org.taqtir.core.classification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.TrainingData;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.Munge;
import org.taqtir.core.eval.Latency;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.History;
import org.taqtir.core.run.RunObserver;
import org.taqtir.core.run.RunStart;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TrainResult;

/**
 * Fits a {@link ClassicalStudent} the way the study runner trains a DJL student, but by the
 * student's own learner: per seed, once on the true labels (method {@value #TRUE_LABELS}, the
 * baseline of the same model) and once from the teacher (method {@value #TEACHER_LABELS} or {@value
 * #TEACHER_LOGITS}, after {@link ClassicalStudent#target()}). Each fit is one run with the same
 * records as a DJL run: validation and test accuracy and logits, shifted-set logits, latency at
 * batch 1 and 256 (median of repeated {@code logits} calls), a one-line {@code history.csv}, and
 * the model's readable form in {@code model.txt}. When the student asks for MUNGE ({@link
 * ClassicalStudent#munge()}), the fit from the teacher sees the training rows plus synthetic rows
 * ({@link Munge}) labelled by the teacher; the true-label fit sees the training rows only.
 */
final class ClassicalRuns {

  /** Method name of the fit on true labels. */
  static final String TRUE_LABELS = "true-labels";

  /** Method name of the fit on the teacher's argmax labels. */
  static final String TEACHER_LABELS = "teacher-labels";

  /** Method name of the fit on the teacher's logits. */
  static final String TEACHER_LOGITS = "teacher-logits";

  private ClassicalRuns() {}

  static List<RunSummary> run(
      RunObserver observer,
      Consumer<String> log,
      ClassicalStudent student,
      String name,
      DataSplits data,
      float[] teacherLogits,
      UnaryOperator<float[]> teacherOn,
      long seed,
      Map<String, Dataset> shiftedSets,
      boolean latency,
      Path runsDir) {
    String fromTeacher =
        student.target() == ClassicalStudent.Target.TEACHER_LOGITS
            ? TEACHER_LOGITS
            : TEACHER_LABELS;
    List<RunSummary> out = new ArrayList<>();
    TrainingData train = data.train().trainingData();
    for (String method : List.of(TRUE_LABELS, fromTeacher)) {
      String label = name + "/" + method + "/seed" + seed;
      String described =
          method.equals(TRUE_LABELS)
              ? "fitted to the true labels"
              : "fitted to the teacher's "
                  + (method.equals(TEACHER_LOGITS) ? "logits" : "argmax labels");
      log.accept(label + ": " + described);
      observer.runStarted(
          new RunStart(
              label,
              name,
              student.describe(),
              method,
              described,
              Map.of("method", method, "seed", String.valueOf(seed)),
              seed));
      long start = System.nanoTime();
      ClassicalStudent.FittedModel model;
      ClassicalStudent.Munge munge = student.munge();
      if (method.equals(TRUE_LABELS)) {
        model = student.fit(train, null, seed);
      } else if (munge.multiplier() > 0) {
        float[][] augmented = munge(train, teacherLogits, teacherOn, munge, seed);
        int rows = augmented[0].length / train.featureSize();
        log.accept(
            String.format(
                Locale.ROOT,
                "%s: MUNGE (p %.2f, s %.2f) added %d synthetic rows labelled by the teacher",
                label,
                munge.swapProbability(),
                munge.spread(),
                rows - train.size()));
        int[] labels = new int[rows];
        System.arraycopy(train.labels(), 0, labels, 0, train.size());
        int classes = train.numClasses();
        for (int i = train.size(); i < rows; i++) {
          int best = 0;
          for (int c = 1; c < classes; c++) {
            if (augmented[1][i * classes + c] > augmented[1][i * classes + best]) {
              best = c;
            }
          }
          labels[i] = best;
        }
        model =
            student.fit(
                new TrainingData(
                    augmented[0],
                    train.featureSize(),
                    labels,
                    classes,
                    train.featureNames(),
                    train.hash() + ";munge=" + munge + ";seed=" + seed),
                augmented[1],
                seed);
      } else {
        model = student.fit(train, teacherLogits, seed);
      }
      double fitSeconds = (System.nanoTime() - start) / 1e9;
      int classes = data.train().numClasses();
      Dataset val = data.validation();
      Dataset test = data.test();
      long evalStart = System.nanoTime();
      float[] valLogits = model.logits(val.features(), val.size());
      float[] testLogits = model.logits(test.features(), test.size());
      Map<String, float[]> shifted = new LinkedHashMap<>();
      for (var e : shiftedSets.entrySet()) {
        shifted.put(e.getKey(), model.logits(e.getValue().features(), e.getValue().size()));
      }
      double l1 = Double.NaN;
      double l256 = Double.NaN;
      if (latency) {
        l1 = latency(model, test, 1, 50);
        l256 = latency(model, test, 256, 15);
      }
      double valAcc = Metrics.accuracy(valLogits, val.labels(), classes);
      double testAcc = Metrics.accuracy(testLogits, test.labels(), classes);
      ModelOutputs extras =
          new ModelOutputs(
              valLogits,
              testLogits,
              shifted,
              l1,
              l256,
              model.parameterCount(),
              (System.nanoTime() - evalStart) / 1e9);
      EpochMetrics only =
          new EpochMetrics(
              0,
              Double.NaN,
              Metrics.crossEntropy(valLogits, val.labels(), classes),
              valAcc,
              0,
              fitSeconds,
              train.size() / Math.max(fitSeconds, 1e-9));
      TrainResult r =
          new TrainResult(
              List.of(only),
              0,
              valAcc,
              testAcc,
              model.parameterCount(),
              fitSeconds,
              only.samplesPerSecond(),
              null,
              Map.of("test/acc", testAcc),
              extras);
      Path dir = runsDir.resolve(label.replaceAll("[^A-Za-z0-9._-]", "_"));
      History.write(dir, List.of(only));
      String export = model.export();
      if (!export.isEmpty()) {
        ClassificationData.write(dir.resolve("model.txt"), export);
      }
      double wall = (System.nanoTime() - start) / 1e9;
      log.accept(
          String.format(
              Locale.ROOT,
              "%s: fitted in %.2f s, %d parameters, val acc %.4f, test acc %.4f%s",
              label,
              fitSeconds,
              model.parameterCount(),
              valAcc,
              testAcc,
              export.isEmpty() ? "" : "; rules in " + dir.resolve("model.txt")));
      RunSummary summary =
          new RunSummary(
              name, student.describe(), method, seed, r, wall, dir, method.equals(TRUE_LABELS));
      observer.runFinished(label, summary);
      out.add(summary);
    }
    return out;
  }

  /**
   * The training rows followed by their MUNGE rows, and the teacher's logits on both: {@code
   * {features, logits}}.
   */
  private static float[][] munge(
      TrainingData train,
      float[] teacherLogits,
      UnaryOperator<float[]> teacherOn,
      ClassicalStudent.Munge munge,
      long seed) {
    float[] synthetic =
        Munge.generate(
            train.features(),
            train.featureSize(),
            train.featureNames(),
            munge.multiplier(),
            munge.swapProbability(),
            munge.spread(),
            seed);
    float[] syntheticLogits = teacherOn.apply(synthetic);
    float[] x = new float[train.features().length + synthetic.length];
    System.arraycopy(train.features(), 0, x, 0, train.features().length);
    System.arraycopy(synthetic, 0, x, train.features().length, synthetic.length);
    float[] z = new float[teacherLogits.length + syntheticLogits.length];
    System.arraycopy(teacherLogits, 0, z, 0, teacherLogits.length);
    System.arraycopy(syntheticLogits, 0, z, teacherLogits.length, syntheticLogits.length);
    return new float[][] {x, z};
  }

  private static double latency(ClassicalStudent.FittedModel model, Dataset test, int b, int reps) {
    int n = Math.min(b, test.size());
    float[] x = test.rows(0, n);
    return Latency.medianMs(5, reps, () -> model.logits(x, n));
  }
}
