package org.taqtir.core.classification;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.ModelShape;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Teacher;
import org.taqtir.api.TrainingData;
import org.taqtir.core.config.DataConfig;
import org.taqtir.core.config.EvaluationConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.CsvTable;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.FashionMnist;
import org.taqtir.core.data.PartlyLabelled;
import org.taqtir.core.data.Samples;
import org.taqtir.core.eval.Latency;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.eval.loss.GroupDisparity;
import org.taqtir.core.eval.loss.LossEvaluator;
import org.taqtir.core.eval.shift.Corruption;
import org.taqtir.core.eval.shift.Corruptions;
import org.taqtir.core.run.RunObserver;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.task.RunEvaluation;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.task.TeacherEvaluation;
import org.taqtir.core.task.TeacherOutputs;
import org.taqtir.core.train.StudentModel;
import org.taqtir.core.train.Validator;

/**
 * A classification study's data (IDX images or a CSV table) and its evaluation: accuracy and
 * cross-entropy per epoch, test logits, and the "what did we lose" evaluation of {@link
 * LossEvaluator} (fidelity, calibration, per-class harm, corruptions, cascade).
 */
final class ClassificationData implements TaskData {

  private final Study study;
  private final DataConfig config;
  private final EvaluationConfig evaluation;
  private final DataSplits data;
  private final DataSplits transfer;
  private final PartlyLabelled partlyLabelled;
  private final ModelShape shape;
  private final Map<String, Dataset> shifted;

  private ClassificationData(
      Study study,
      DataSplits data,
      DataSplits transfer,
      PartlyLabelled partlyLabelled,
      Map<String, Dataset> shifted) {
    this.study = study;
    this.partlyLabelled = partlyLabelled;
    this.config = (DataConfig) study.data();
    this.evaluation = (EvaluationConfig) study.evaluation();
    this.data = data;
    this.transfer = transfer;
    this.shape = new ModelShape(new Shape(data.train().sampleDims()), data.train().numClasses());
    this.shifted = shifted;
  }

  /**
   * Loads a classification study's data: the splits, the students' transfer set and, for images
   * with a loss statement, the corruption suite.
   */
  static ClassificationData load(Study study, Path runDir, Consumer<String> log) {
    DataConfig d = (DataConfig) study.data();
    DataSplits data;
    try {
      data = splits(study, runDir, log);
    } catch (IllegalArgumentException e) {
      String file = fileName(study);
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    log.accept(
        String.format(
            "data: %d train / %d validation / %d test from %s (hash %s)",
            data.train().size(),
            data.validation().size(),
            data.test().size(),
            d.dir(),
            data.hash().substring(0, 12)));
    List<Integer> omitted = d.transferExcludeClasses();
    DataSplits transfer = transferSet(study, data, omitted);
    if (transfer != data) {
      log.accept(
          String.format(
              "transfer set: the students learn from %d of %d training samples, without classes %s"
                  + " (omitted-class probe); the teacher, validation and test keep them",
              transfer.train().size(), data.train().size(), omitted));
    }
    transfer = limited(study, transfer, log);
    PartlyLabelled partly = partlyLabelled(study, transfer, log);
    EvaluationConfig e = (EvaluationConfig) study.evaluation();
    Map<String, Dataset> shifted = new LinkedHashMap<>();
    if (e.lossStatement() && e.corruptions() && !data.test().isPixels()) {
      log.accept("corruption suite: skipped, it corrupts images and this data is a table");
    } else if (e.lossStatement() && e.corruptions()) {
      long start = System.nanoTime();
      for (Corruption c : Corruptions.all()) {
        shifted.put(c.name(), Corruptions.apply(data.test(), c, e.corruptionSeed()));
      }
      log.accept(
          String.format(
              Locale.ROOT,
              "corruption suite: %d shifted test sets in %.2f s",
              shifted.size(),
              (System.nanoTime() - start) / 1e9));
    }
    return new ClassificationData(study, data, transfer, partly, shifted);
  }

  /** The study file's name for messages, {@code study} when it was given as text. */
  private static String fileName(Study study) {
    return study.file() == null ? "study" : study.file().getFileName().toString();
  }

  /**
   * The n rows of the students' training split that a data option keeps, the same number per class
   * ({@link PartlyLabelled#choose}, drawn with {@code data.split_seed}).
   *
   * @param field the option, for messages
   * @param zero what 0 means for it, for messages
   */
  private static int[] perClass(Study study, Dataset train, int n, String field, String zero) {
    String file = fileName(study);
    if (n >= train.size()) {
      throw new IllegalArgumentException(
          file
              + ": "
              + field
              + " must be less than the "
              + train.size()
              + " training samples the students learn from (0 "
              + zero
              + "), found "
              + n);
    }
    try {
      return PartlyLabelled.choose(
          train.labels(), train.numClasses(), n, ((DataConfig) study.data()).splitSeed(), field);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The students' transfer set cut to {@code data.transfer_limit} samples, the same number per
   * class; the same object without a limit.
   */
  static DataSplits limited(Study study, DataSplits transfer, Consumer<String> log) {
    int n = ((DataConfig) study.data()).transferLimit();
    if (n == 0) {
      return transfer;
    }
    Dataset train = transfer.train();
    int[] rows = perClass(study, train, n, "data.transfer_limit", "keeps them all");
    log.accept(
        String.format(
            Locale.ROOT,
            "transfer set: the students learn from %d of %d training samples (%.1f %%, about %d"
                + " per class, drawn with data.split_seed); the teacher learns from all of them",
            n,
            train.size(),
            100.0 * n / train.size(),
            n / train.numClasses()));
    return new DataSplits(
        train.subset(rows), transfer.validation(), transfer.test(), transfer.hash());
  }

  /**
   * The students' training split with labels for only {@code data.labelled} samples, or null when
   * every sample keeps its label.
   */
  static PartlyLabelled partlyLabelled(Study study, DataSplits transfer, Consumer<String> log) {
    int n = ((DataConfig) study.data()).labelled();
    if (n == 0) {
      return null;
    }
    Dataset train = transfer.train();
    int[] rows = perClass(study, train, n, "data.labelled", "labels them all");
    log.accept(
        String.format(
            Locale.ROOT,
            "labels: the students have labels for %d of %d training samples (about %d per class,"
                + " drawn with data.split_seed); methods that read the teacher learn from all %d,"
                + " label-only methods from the %d labelled ones, cycled to %d per epoch",
            n,
            train.size(),
            n / train.numClasses(),
            train.size(),
            n,
            train.size()));
    return PartlyLabelled.of(train, rows);
  }

  /** Loads the splits: IDX images, or a CSV table whose fitted encoding is recorded. */
  static DataSplits splits(Study study, Path runDir, Consumer<String> log) {
    DataConfig d = (DataConfig) study.data();
    if (d.table() == null) {
      return FashionMnist.load(
          d.dir(), d.trainLimit(), d.testLimit(), d.validation(), d.splitSeed());
    }
    CsvTable.Prepared t = CsvTable.load(d.table(), d.validation(), d.splitSeed());
    if (runDir == null) {
      return t.splits();
    }
    try {
      write(
          runDir.resolve("data-schema.json"),
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(t.schema()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.accept(
        "data: "
            + d.table().file().getFileName()
            + ": classes "
            + t.classNames()
            + ", "
            + t.splits().train().featureSize()
            + " features "
            + t.splits().train().featureNames()
            + (d.table().group() == null
                ? ""
                : ", groups "
                    + t.splits().test().groupNames()
                    + " (column "
                    + d.table().group()
                    + ")")
            + "; encoding in data-schema.json");
    return t.splits();
  }

  /**
   * The splits the students see: the training split without the samples of the omitted classes
   * ({@code data.transfer_exclude_classes}); the same object when none are omitted.
   */
  static DataSplits transferSet(Study study, DataSplits data, List<Integer> omitted) {
    if (omitted.isEmpty()) {
      return data;
    }
    String file = fileName(study);
    int classes = data.train().numClasses();
    for (int i = 0; i < omitted.size(); i++) {
      if (omitted.get(i) >= classes) {
        throw new IllegalArgumentException(
            file
                + ": data.transfer_exclude_classes["
                + i
                + "] must be a class index in [0, "
                + (classes - 1)
                + "], found "
                + omitted.get(i));
      }
    }
    int[] labels = data.train().labels();
    int[] keep =
        IntStream.range(0, labels.length).filter(i -> !omitted.contains(labels[i])).toArray();
    if (keep.length == 0) {
      throw new IllegalArgumentException(
          file
              + ": data.transfer_exclude_classes "
              + omitted
              + " leaves no training sample; omit fewer classes");
    }
    return new DataSplits(data.train().subset(keep), data.validation(), data.test(), data.hash());
  }

  /**
   * Returns the loaded splits.
   *
   * @return train (all of it), validation, test
   */
  DataSplits splits() {
    return data;
  }

  /**
   * Returns the shifted test sets of the corruption suite.
   *
   * @return name to set, empty when the study has none
   */
  Map<String, Dataset> shifted() {
    return shifted;
  }

  @Override
  public String hash() {
    return data.hash();
  }

  @Override
  public ModelShape shape() {
    return shape;
  }

  @Override
  public Samples teacherTrain() {
    return data.train();
  }

  @Override
  public Samples train() {
    return transfer.train();
  }

  /**
   * With {@code data.labelled}: all training samples with most labels withheld for a method that
   * reads the teacher, the labelled ones cycled to the same count for a label-only method.
   */
  @Override
  public Samples transferSet(boolean readsTeacher) {
    if (partlyLabelled == null) {
      return train();
    }
    return readsTeacher ? partlyLabelled : partlyLabelled.labelledCycled();
  }

  @Override
  public Samples validation() {
    return data.validation();
  }

  @Override
  public Samples test() {
    return data.test();
  }

  @Override
  public Map<String, Samples> teacherSets() {
    Map<String, Samples> out = new LinkedHashMap<>();
    out.put("validation", data.validation());
    if (evaluation.test()) {
      out.put("test", data.test());
      for (var e : shifted.entrySet()) {
        out.put("shifted/" + e.getKey(), e.getValue());
      }
    }
    return out;
  }

  @Override
  public Validator validator() {
    Dataset val = data.validation();
    int classes = shape.numClasses();
    return model -> {
      float[] logits = model.logits(val, true);
      return new Validator.Scores(
          Metrics.crossEntropy(logits, val.labels(), classes),
          Metrics.accuracy(logits, val.labels(), classes),
          Map.of());
    };
  }

  @Override
  public TeacherEvaluation evaluateTeacher(
      Teacher teacher, TeacherOutputs outputs, Consumer<String> log) {
    int classes = shape.numClasses();
    float[] val = outputs.logits(data.validation());
    double valAcc = Metrics.accuracy(val, data.validation().labels(), classes);
    double testAcc = Double.NaN;
    ModelOutputs predictions = null;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("val/acc", valAcc);
    if (evaluation.test()) {
      float[] test = outputs.logits(data.test());
      testAcc = Metrics.accuracy(test, data.test().labels(), classes);
      metrics.put("test/acc", testAcc);
      if (evaluation.lossStatement()) {
        Map<String, float[]> shiftedLogits = new LinkedHashMap<>();
        for (var e : shifted.entrySet()) {
          shiftedLogits.put(e.getKey(), outputs.logits(e.getValue()));
        }
        predictions =
            new ModelOutputs(
                val,
                test,
                shiftedLogits,
                teacherLatencyMs(teacher, data.test(), 1, 50),
                teacherLatencyMs(teacher, data.test(), 256, 15),
                teacher.parameterCount(),
                0);
      }
    }
    return new TeacherEvaluation(valAcc, testAcc, metrics, predictions);
  }

  private static double teacherLatencyMs(Teacher teacher, Dataset test, int batch, int reps) {
    int b = Math.min(batch, test.size());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = test.inputs(m, 0, b);
      SampleRefs refs = test.refs(0, b);
      return Latency.medianMs(
          5,
          reps,
          () -> {
            try (NDManager step = m.newSubManager()) {
              NDArray logits = teacher.forward(x, refs, Set.of()).logits();
              logits.attach(step);
              logits.toFloatArray();
            }
          });
    }
  }

  @Override
  public RunEvaluation evaluate(StudentModel model) {
    if (!evaluation.test()) {
      return new RunEvaluation(Map.of(), null);
    }
    int classes = shape.numClasses();
    float[] testLogits = model.logits(data.test(), false);
    double testAcc = Metrics.accuracy(testLogits, data.test().labels(), classes);
    long start = System.nanoTime();
    float[] val = model.logits(data.validation(), true);
    Map<String, float[]> shiftedLogits = new java.util.TreeMap<>();
    for (var e : shifted.entrySet()) {
      shiftedLogits.put(e.getKey(), model.logits(e.getValue(), false));
    }
    double l1 = Double.NaN;
    double l256 = Double.NaN;
    if (evaluation.lossStatement()) {
      l1 = model.latencyMs(data.test(), 1, 50);
      l256 = model.latencyMs(data.test(), 256, 15);
    }
    ModelOutputs outputs =
        new ModelOutputs(
            val,
            testLogits,
            shiftedLogits,
            l1,
            l256,
            model.parameterCount(),
            (System.nanoTime() - start) / 1e9);
    return new RunEvaluation(Map.of("test/acc", testAcc), outputs);
  }

  @Override
  public StudyReport evaluateStudy(
      List<RunSummary> runs, TeacherEvaluation teacher, Consumer<String> log) {
    if (!evaluation.lossStatement()
        || teacher == null
        || !(teacher.predictions() instanceof ModelOutputs predictions)
        || runs.stream().noneMatch(r -> r.result().ok())) {
      return null;
    }
    long start = System.nanoTime();
    var report =
        LossEvaluator.evaluate(
            runs,
            predictions,
            data.validation().labels(),
            data.test().labels(),
            shape.numClasses(),
            evaluation,
            config.transferExcludeClasses(),
            data.test().groups() == null
                ? null
                : new GroupDisparity.Groups(data.test().groups(), data.test().groupNames()));
    double studentSeconds =
        runs.stream()
            .filter(r -> r.result().extras() != null)
            .mapToDouble(r -> r.result().extras().seconds())
            .sum();
    log.accept(
        String.format(
            Locale.ROOT,
            "loss evaluation: %.2f s of metrics for %d runs, plus %.2f s of student inference"
                + " (validation, %d shifted test sets, latency) inside the runs",
            (System.nanoTime() - start) / 1e9,
            runs.size(),
            studentSeconds,
            shifted.size()));
    return report;
  }

  @Override
  public void teacherIsIndexed(String teacherId, Consumer<String> log) {
    if (!shifted.isEmpty()) {
      log.accept(
          "teacher: "
              + teacherId
              + " has outputs only for the original samples; the corruption suite is skipped");
      shifted.clear();
    }
  }

  @Override
  public TrainingData trainingData() {
    return data.train().isPixels() ? null : data.train().trainingData();
  }

  @Override
  public int sourceSize(String source) {
    Dataset d = SampleRefs.TEST.equals(source) ? data.test() : data.train();
    return d.sourceSize();
  }

  @Override
  public List<RunSummary> fitClassical(
      ClassicalStudent student,
      String name,
      float[] teacherLogits,
      UnaryOperator<float[]> teacherOn,
      long seed,
      Path runsDir,
      RunObserver observer,
      Consumer<String> log) {
    return ClassicalRuns.run(
        observer,
        log,
        student,
        name,
        transfer,
        teacherLogits,
        teacherOn,
        seed,
        shifted,
        evaluation.lossStatement(),
        runsDir);
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
