package org.taqtir.core.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.Student;
import org.taqtir.api.TrainingData;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.eval.Latency;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.train.EpochMetrics;
import org.taqtir.core.train.ExtraEvaluation;
import org.taqtir.core.train.TrainResult;

/**
 * Fits a {@link ClassicalStudent} the way the study runner trains a DJL student, but by the
 * student's own learner: per seed, once on the true labels (method {@value #TRUE_LABELS}, the
 * baseline of the same model) and once from the teacher (method {@value #TEACHER_LABELS} or {@value
 * #TEACHER_LOGITS}, after {@link ClassicalStudent#target()}). Each fit is one run with the same
 * records as a DJL run: validation and test accuracy and logits, shifted-set logits, latency at
 * batch 1 and 256 (median of repeated {@code logits} calls), a one-line {@code history.csv}, and
 * the model's readable form in {@code model.txt}.
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
      Consumer<Consumer<StudyObserver>> observe,
      Consumer<String> log,
      Student created,
      String name,
      DataSplits data,
      float[] teacherLogits,
      long seed,
      ExtraEvaluation extra,
      Path runsDir) {
    ClassicalStudent student = (ClassicalStudent) created;
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
      observe.accept(o -> o.runStarted(label, name, student.describe(), method, described, seed));
      long start = System.nanoTime();
      ClassicalStudent.FittedModel model =
          student.fit(train, method.equals(TRUE_LABELS) ? null : teacherLogits, seed);
      double fitSeconds = (System.nanoTime() - start) / 1e9;
      int classes = data.train().numClasses();
      Dataset val = data.validation();
      Dataset test = data.test();
      long evalStart = System.nanoTime();
      float[] valLogits = model.logits(val.features(), val.size());
      float[] testLogits = model.logits(test.features(), test.size());
      Map<String, float[]> shifted = new LinkedHashMap<>();
      for (var e : extra.shifted().entrySet()) {
        shifted.put(e.getKey(), model.logits(e.getValue().features(), e.getValue().size()));
      }
      double l1 = Double.NaN;
      double l256 = Double.NaN;
      if (extra.latency()) {
        l1 = latency(model, test, 1, 50);
        l256 = latency(model, test, 256, 15);
      }
      double valAcc = Metrics.accuracy(valLogits, val.labels(), classes);
      double testAcc = Metrics.accuracy(testLogits, test.labels(), classes);
      ExtraEvaluation.Outputs extras =
          new ExtraEvaluation.Outputs(
              valLogits, shifted, l1, l256, (System.nanoTime() - evalStart) / 1e9);
      EpochMetrics only =
          new EpochMetrics(
              0,
              Double.NaN,
              crossEntropy(valLogits, val.labels(), classes),
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
              testLogits,
              model.parameterCount(),
              fitSeconds,
              only.samplesPerSecond(),
              null,
              extras);
      Path dir = runsDir.resolve(label.replaceAll("[^A-Za-z0-9._-]", "_"));
      write(
          dir.resolve("history.csv"),
          String.format(
              Locale.ROOT,
              "epoch,train_loss,val_loss,val_acc,lr,seconds,samples_per_second%n1,NaN,%.6f,%.6f,0,"
                  + "%.3f,%.1f%n",
              only.valLoss(),
              valAcc,
              fitSeconds,
              only.samplesPerSecond()));
      String export = model.export();
      if (!export.isEmpty()) {
        write(dir.resolve("model.txt"), export);
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
      observe.accept(o -> o.runFinished(label, summary));
      out.add(summary);
    }
    return out;
  }

  private static double latency(ClassicalStudent.FittedModel model, Dataset test, int b, int reps) {
    int n = Math.min(b, test.size());
    float[] x = test.rows(0, n);
    return Latency.medianMs(5, reps, () -> model.logits(x, n));
  }

  /** Mean cross-entropy of softmax(logits), for the history's validation loss. */
  static double crossEntropy(float[] logits, int[] labels, int classes) {
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      int off = i * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[off + c]);
      }
      double z = 0;
      for (int c = 0; c < classes; c++) {
        z += Math.exp(logits[off + c] - max);
      }
      sum += max + Math.log(z) - logits[off + labels[i]];
    }
    return sum / labels.length;
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
