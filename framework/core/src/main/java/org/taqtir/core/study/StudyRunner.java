package org.taqtir.core.study;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.Family;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherProvider;
import org.taqtir.core.config.MethodConfig;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.StudentConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.config.TeacherOutputs;
import org.taqtir.core.config.Term;
import org.taqtir.core.data.CsvTable;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.FashionMnist;
import org.taqtir.core.eval.Latency;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.eval.loss.GroupDisparity;
import org.taqtir.core.eval.loss.LossEvaluator;
import org.taqtir.core.eval.loss.LossReport;
import org.taqtir.core.eval.shift.Corruption;
import org.taqtir.core.eval.shift.Corruptions;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.teacher.DefaultTeacherContext;
import org.taqtir.core.teacher.TeacherOutputCache;
import org.taqtir.core.train.DistillationTrainer;
import org.taqtir.core.train.EpochMetrics;
import org.taqtir.core.train.ExtraEvaluation;
import org.taqtir.core.train.TeacherSignal;
import org.taqtir.core.train.TrainResult;
import org.taqtir.core.train.TrainTerm;
import org.taqtir.core.train.TrainingListener;

/**
 * Runs a study end to end: loads the data, trains (or reuses, or loads) the teacher, caches its
 * outputs, then trains every student with every method and seed, and writes each run's history.
 *
 * <p>A teacher trained here is trained with the {@value #TEACHER_STRATEGY} strategy and saved under
 * {@code <output>/teachers/<hash of architecture, training, seed and data>} in the layout the
 * {@value #TEACHER_LOADER} teacher plugin reads, then loaded through that plugin: a later study
 * with the same teacher section reuses it instead of training again.
 */
public final class StudyRunner {

  /** File name of a student run's per-epoch checkpoint, in its run directory. */
  public static final String CHECKPOINT = "checkpoint.bin";

  /** Strategy id used to train a teacher on labels. */
  public static final String TEACHER_STRATEGY = "labels-only";

  /** Teacher plugin id that loads a teacher trained by a study. */
  public static final String TEACHER_LOADER = "djl-model";

  private final PluginRegistry registry;
  private final Function<String, TrainingListener> listeners;
  private final Consumer<String> log;
  private StudyObserver observer = StudyObserver.NONE;
  private Path reuse;
  private Path fixedOutput;
  private Path resumeDir;

  /**
   * Evaluates the students of an earlier run of the same study instead of training them ({@code
   * taqtir evaluate}): each run's saved weights {@code <dir>/runs/<label>/student-0000.params} and
   * its {@code history.csv} are read, and the full evaluation is computed again with this study's
   * {@code evaluation:} block. The teacher must still be where that run left it.
   *
   * @param runDir the earlier study run's directory
   * @return this runner
   */
  public StudyRunner reuseStudents(Path runDir) {
    this.reuse = runDir;
    return this;
  }

  /**
   * Writes this run into a given directory instead of a new {@code <output>/<name>/<timestamp>}.
   *
   * @param dir a directory that does not exist yet (it is created; an existing one is refused, so
   *     nothing is ever overwritten)
   * @return this runner
   */
  public StudyRunner outputDir(Path dir) {
    this.fixedOutput = dir;
    return this;
  }

  /**
   * Continues an interrupted run of this study in its own directory ({@code taqtir run --resume}):
   * a student run that finished (its {@code history.csv} exists) is not trained again but evaluated
   * from its saved weights; an interrupted one continues from its last epoch checkpoint ({@code
   * checkpoint.bin}); one that never started is trained.
   *
   * @param runDir the interrupted study run's directory
   * @return this runner
   */
  public StudyRunner resume(Path runDir) {
    if (!Files.isDirectory(runDir)) {
      throw new IllegalArgumentException(runDir + ": no such study run directory to resume");
    }
    this.resumeDir = runDir;
    return this;
  }

  /**
   * Sets who records the study's life cycle (e.g. a run store).
   *
   * @param observer the observer; its failures are logged and never stop the study
   * @return this runner
   */
  public StudyRunner observer(StudyObserver observer) {
    this.observer = observer == null ? StudyObserver.NONE : observer;
    return this;
  }

  /** Calls the observer, logging instead of failing: a broken recorder must not lose a run. */
  private void observe(Consumer<StudyObserver> call) {
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      log.accept("warning: recording failed: " + e.getMessage());
    }
  }

  /**
   * Creates a runner.
   *
   * @param registry plugins
   * @param listeners progress listener per phase label (e.g. {@code "teacher"}, {@code
   *     "mlp/kd/s1"})
   * @param log receives one-line status messages
   */
  public StudyRunner(
      PluginRegistry registry, Function<String, TrainingListener> listeners, Consumer<String> log) {
    this.registry = registry;
    this.listeners = listeners;
    this.log = log;
  }

  /**
   * Runs the study.
   *
   * @param study the parsed, validated study
   * @return the results; the run directory holds the resolved config and every run's files
   */
  public StudyResult run(Study study) {
    Path out =
        resumeDir != null
            ? resumeDir
            : fixedOutput == null ? newRunDir(study) : freshDir(fixedOutput);
    if (resumeDir == null) {
      write(out.resolve("study.resolved.yaml"), study.toYaml());
    }
    var d = study.data();
    DataSplits data;
    try {
      data = loadData(study, out);
    } catch (IllegalArgumentException e) {
      String file = study.file() == null ? "study" : study.file().getFileName().toString();
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
    DataSplits loaded = data;
    observe(o -> o.studyStarted(study, out, loaded.hash()));
    List<Integer> omitted = study.data().transferExcludeClasses();
    DataSplits transfer = transferSet(study, data, omitted);
    if (transfer != data) {
      log.accept(
          String.format(
              "transfer set: the students learn from %d of %d training samples, without classes %s"
                  + " (omitted-class probe); the teacher, validation and test keep them",
              transfer.train().size(), data.train().size(), omitted));
    }
    ModelShape shape =
        new ModelShape(new Shape(data.train().sampleDims()), data.train().numClasses());
    Set<String> classical = classicalStudents(study, shape);
    boolean needTeacher =
        !classical.isEmpty()
            || study.strategies().stream()
                .flatMap(m -> m.terms().stream())
                .anyMatch(t -> needsTeacher(t.strategy().id()));

    boolean statement = study.evaluation().lossStatement();
    Map<String, Dataset> shifted = new LinkedHashMap<>();
    if (statement && study.evaluation().corruptions() && !data.test().isPixels()) {
      log.accept("corruption suite: skipped, it corrupts images and this data is a table");
    } else if (statement && study.evaluation().corruptions()) {
      long start = System.nanoTime();
      for (Corruption c : Corruptions.all()) {
        shifted.put(
            c.name(), Corruptions.apply(data.test(), c, study.evaluation().corruptionSeed()));
      }
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "corruption suite: %d shifted test sets in %.2f s",
              shifted.size(),
              (System.nanoTime() - start) / 1e9));
    }
    ExtraEvaluation extra = new ExtraEvaluation(shifted, statement);

    List<RunSummary> runs = new ArrayList<>();
    TeacherSummary teacherSummary = null;
    TeacherPredictions teacherPredictions = null;
    try (NDManager manager = NDManager.newBaseManager()) {
      Teacher teacher = null;
      TeacherSignal signal = null;
      try {
        if (needTeacher) {
          long start = System.nanoTime();
          boolean trained = false;
          PluginRef configured = study.teacher().load();
          if (configured == null) {
            Student arch = createStudent(study.teacher().trainArchitecture(), shape);
            checkTeacherTaps(study, arch.taps(), arch.describe());
            Path dir = teacherDir(study, data.hash());
            trained = ensureTrainedTeacher(study, data, shape, dir);
            configured =
                new PluginRef(
                    TEACHER_LOADER, new Params(Map.of("path", dir.toAbsolutePath().toString())));
          }
          PluginRef load = configured;
          double trainSeconds = trained ? (System.nanoTime() - start) / 1e9 : 0;
          TeacherProvider provider = registry.teachers().get(load.id());
          teacher =
              wrap(
                  load.id(),
                  () ->
                      provider.create(
                          load.params(),
                          DefaultTeacherContext.forStudy(study, loaded, manager, registry)));
          checkTeacherTaps(study, teacher.taps(), load.id() + " (" + teacher.describe() + ")");
          if (teacher.indexed()) {
            if (study.teacher().outputs() == TeacherOutputs.PER_BATCH) {
              throw new IllegalArgumentException(
                  "teacher.outputs: per-batch runs the teacher on every batch, but teacher "
                      + load.id()
                      + " looks its outputs up by sample index and cannot see new inputs; use"
                      + " outputs: cached");
            }
            if (!shifted.isEmpty()) {
              log.accept(
                  "teacher: "
                      + load.id()
                      + " has outputs only for the original samples; the corruption suite is"
                      + " skipped");
              shifted.clear();
              extra = new ExtraEvaluation(shifted, statement);
            }
          }
          Set<String> taps = teacherTaps(study);
          TeacherOutputCache cache = new TeacherOutputCache(study.output().dir().resolve("cache"));
          // taqtir evaluate trains nothing, so it needs no training-split outputs: the (cached)
          // validation entry stands in for them
          TeacherOutputCache.Entry train =
              reuse == null
                  ? cache.get(teacher, transfer.train(), taps, manager)
                  : cache.get(teacher, data.validation(), Set.of(), manager);
          TeacherOutputCache.Entry val = cache.get(teacher, data.validation(), Set.of(), manager);
          double valAcc =
              Metrics.accuracy(val.logits(), data.validation().labels(), shape.numClasses());
          double testAcc = Double.NaN;
          if (study.evaluation().test()) {
            TeacherOutputCache.Entry test = cache.get(teacher, data.test(), Set.of(), manager);
            testAcc = Metrics.accuracy(test.logits(), data.test().labels(), shape.numClasses());
            if (statement) {
              teacherPredictions =
                  teacherPredictions(teacher, cache, manager, data, shifted, val, test);
            }
          }
          teacherSummary =
              new TeacherSummary(
                  teacher.describe(),
                  teacher.fingerprint(),
                  trained,
                  trainSeconds,
                  valAcc,
                  testAcc,
                  train.hit(),
                  train.seconds());
          log.accept(
              String.format(
                  "teacher: %s, val acc %.4f, test acc %.4f; outputs %s in %.2f s",
                  teacher.describe(),
                  valAcc,
                  testAcc,
                  train.hit() ? "read from cache" : "computed and cached",
                  train.seconds()));
          TeacherSummary ready = teacherSummary;
          observe(o -> o.teacherReady(ready));
          if (study.teacher().outputs() == TeacherOutputs.PER_BATCH) {
            signal = new TeacherSignal.Live(teacher);
          } else {
            Map<String, ByteBuffer> features = new LinkedHashMap<>(train.outputs());
            features.remove(TeacherOutputCache.LOGITS);
            signal =
                new TeacherSignal.Cached(
                    train.logits(), shape.numClasses(), features, train.shapes());
          }
        }
        float[] classicalTargets =
            classical.isEmpty()
                ? null
                : new TeacherOutputCache(study.output().dir().resolve("cache"))
                    .get(teacher, transfer.train(), Set.of(), manager)
                    .logits();
        for (StudentConfig sc : study.students()) {
          if (classical.contains(sc.name())) {
            for (long seed : study.seeds()) {
              runs.addAll(
                  ClassicalRuns.run(
                      this::observe,
                      log,
                      createStudent(sc.architecture(), shape),
                      sc.name(),
                      transfer,
                      classicalTargets,
                      teacherOn(teacher, manager, transfer.train().featureSize()),
                      seed,
                      extra,
                      out.resolve("runs")));
            }
            continue;
          }
          for (MethodConfig method : study.strategies()) {
            for (long seed : study.seeds()) {
              runs.add(runOne(study, transfer, shape, sc, method, seed, signal, extra, out));
            }
          }
        }
      } finally {
        if (teacher != null) {
          teacher.close();
        }
      }
    }
    LossReport loss = null;
    if (statement && teacherPredictions != null && runs.stream().anyMatch(r -> r.result().ok())) {
      long start = System.nanoTime();
      loss =
          LossEvaluator.evaluate(
              runs,
              teacherPredictions,
              data.validation().labels(),
              data.test().labels(),
              shape.numClasses(),
              study.evaluation(),
              omitted,
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
              java.util.Locale.ROOT,
              "loss evaluation: %.2f s of metrics for %d runs, plus %.2f s of student inference"
                  + " (validation, %d shifted test sets, latency) inside the runs",
              (System.nanoTime() - start) / 1e9,
              runs.size(),
              studentSeconds,
              shifted.size()));
    }
    StudyResult result =
        new StudyResult(study, out, teacherSummary, runs, data.hash(), teacherPredictions, loss);
    observe(o -> o.studyFinished(result));
    return result;
  }

  private RunSummary runOne(
      Study study,
      DataSplits data,
      ModelShape shape,
      StudentConfig sc,
      MethodConfig method,
      long seed,
      TeacherSignal signal,
      ExtraEvaluation extra,
      Path out) {
    String label = sc.name() + "/" + method.name() + "/seed" + seed;
    Student student = createStudent(sc.architecture(), shape);
    List<TrainTerm> terms = new ArrayList<>();
    boolean needTeacher = false;
    for (Term t : method.terms()) {
      StrategyProvider p = registry.strategies().get(t.strategy().id());
      terms.add(
          new TrainTerm(
              p.id(),
              wrap(p.id(), () -> p.create(t.strategy().params())),
              t.weight(),
              p.capabilities(),
              t.fromEpoch(),
              t.untilEpoch()));
      needTeacher |= terms.get(terms.size() - 1).needsTeacher();
    }
    String described =
        String.join(
            " + ",
            terms.stream()
                .map(
                    t ->
                        t.weight()
                            + "·"
                            + t.strategy()
                            + (t.fromEpoch() == 1 && t.untilEpoch() == 0
                                ? ""
                                : " [epochs "
                                    + t.fromEpoch()
                                    + ".."
                                    + (t.untilEpoch() == 0 ? "end" : t.untilEpoch())
                                    + "]"))
                .toList());
    log.accept(label + ": " + described);
    observe(
        o -> o.runStarted(label, sc.name(), student.describe(), method.name(), described, seed));
    TrainingListener progress = listeners.apply(label);
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void epochStarted(int epoch, int steps) {
            progress.epochStarted(epoch, steps);
          }

          @Override
          public void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
            progress.stepDone(epoch, step, loss, samplesPerSecond);
          }

          @Override
          public void epochDone(EpochMetrics metrics) {
            progress.epochDone(metrics);
            observe(o -> o.epochDone(label, metrics));
          }

          @Override
          public void checkpointSaved(int epoch, Path file, double seconds) {
            progress.checkpointSaved(epoch, file, seconds);
          }
        };
    Path dir = out.resolve("runs").resolve(safe(label));
    long start = System.nanoTime();
    DistillationTrainer trainer =
        new DistillationTrainer(
            study.training(), seed, terms, needTeacher ? signal : null, listener);
    boolean finished = resumeDir != null && Files.isRegularFile(dir.resolve("history.csv"));
    if (finished) {
      log.accept(label + ": finished before the interruption; evaluating its saved weights");
    } else if (resumeDir != null && Files.isRegularFile(dir.resolve(CHECKPOINT))) {
      log.accept(label + ": resuming from its checkpoint " + dir.resolve(CHECKPOINT));
    }
    TrainResult r =
        finished
            ? evaluateSaved(trainer, student, data, extra, dir)
            : reuse == null
                ? trainer
                    .checkpoint(dir.resolve(CHECKPOINT))
                    .train(student, data, study.evaluation().test(), extra, dir, "student")
                : evaluateSaved(
                    trainer, student, data, extra, reuse.resolve("runs").resolve(safe(label)));
    double wall = (System.nanoTime() - start) / 1e9;
    if (!finished) {
      writeHistory(dir, r);
    }
    log.accept(
        r.ok()
            ? String.format(
                "%s: best epoch %d, val acc %.4f, test acc %.4f, %.1f s",
                label, r.bestEpoch() + 1, r.bestValAcc(), r.testAcc(), wall)
            : label + ": " + r.error());
    double chance = 1.0 / shape.numClasses();
    if (r.ok() && r.bestValAcc() <= 1.5 * chance) {
      log.accept(
          String.format(
              java.util.Locale.ROOT,
              "%s: warning: validation accuracy %.4f never left chance level (%.2f); the loss is"
                  + " finite but training collapsed: lower the learning rate or the term weights",
              label,
              r.bestValAcc(),
              chance));
    }
    boolean labelsOnly =
        method.terms().stream()
            .allMatch(t -> registry.strategies().get(t.strategy().id()).family() == Family.LABELS);
    RunSummary summary =
        new RunSummary(
            sc.name(), student.describe(), method.name(), seed, r, wall, dir, labelsOnly);
    observe(o -> o.runFinished(label, summary));
    return summary;
  }

  /** {@code taqtir evaluate}: one earlier run's saved weights instead of training. */
  private TrainResult evaluateSaved(
      DistillationTrainer trainer,
      Student student,
      DataSplits data,
      ExtraEvaluation extra,
      Path saved) {
    List<EpochMetrics> history = readHistory(saved.resolve("history.csv"));
    if (!Files.isRegularFile(saved.resolve("student-0000.params"))) {
      return new TrainResult(
          history,
          -1,
          Double.NaN,
          Double.NaN,
          new float[0],
          0,
          0,
          0,
          "no saved weights in " + saved + " (did the original run fail?)",
          null);
    }
    return trainer.evaluateSaved(student, data, extra, saved, "student", history);
  }

  /** Reads what {@link #writeHistory} wrote. */
  static List<EpochMetrics> readHistory(Path file) {
    List<EpochMetrics> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        out.add(
            new EpochMetrics(
                Integer.parseInt(f[0]) - 1,
                Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6])));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(file + ": cannot read the run's history: " + e, e);
    }
    return out;
  }

  private static Path freshDir(Path dir) {
    try {
      Files.createDirectories(dir.toAbsolutePath().getParent());
      return Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IllegalArgumentException(dir + " already exists; results are never overwritten", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The teacher's validation, test and shifted-set logits (all cached) and its latency. */
  private TeacherPredictions teacherPredictions(
      Teacher teacher,
      TeacherOutputCache cache,
      NDManager manager,
      DataSplits data,
      Map<String, Dataset> shifted,
      TeacherOutputCache.Entry val,
      TeacherOutputCache.Entry test) {
    Map<String, float[]> shiftedLogits = new LinkedHashMap<>();
    for (var e : shifted.entrySet()) {
      shiftedLogits.put(e.getKey(), cache.get(teacher, e.getValue(), Set.of(), manager).logits());
    }
    return new TeacherPredictions(
        val.logits(),
        test.logits(),
        shiftedLogits,
        teacherLatencyMs(teacher, data.test(), manager, 1, 50),
        teacherLatencyMs(teacher, data.test(), manager, 256, 15),
        teacher.parameterCount());
  }

  private static double teacherLatencyMs(
      Teacher teacher, Dataset test, NDManager manager, int batch, int reps) {
    int b = Math.min(batch, test.size());
    long[] dims = new long[test.sampleShape().length + 1];
    dims[0] = b;
    System.arraycopy(test.sampleDims(), 0, dims, 1, dims.length - 1);
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(test.rows(0, b), new Shape(dims));
      org.taqtir.api.SampleRefs refs = test.refs(0, b);
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

  /**
   * Trains the teacher a study trains ({@code teacher.train}) unless it is already at {@link
   * #teacherDir}, exactly as {@link #run} would, without training any student (e.g. before a
   * distributed sweep whose runs must all load the same teacher).
   *
   * @param study a study with {@code teacher.train}
   * @param data its loaded splits (the teacher trains on {@code data.train()})
   * @return the teacher's directory, to load with the {@value #TEACHER_LOADER} plugin
   * @throws IllegalArgumentException when the study loads its teacher instead of training one
   */
  public Path trainTeacher(Study study, DataSplits data) {
    if (study.teacher().trainArchitecture() == null) {
      throw new IllegalArgumentException(
          "teacher: the study loads its teacher (" + study.teacher().load().id() + ")");
    }
    ModelShape shape =
        new ModelShape(new Shape(data.train().sampleDims()), data.train().numClasses());
    Path dir = teacherDir(study, data.hash());
    ensureTrainedTeacher(study, data, shape, dir);
    return dir;
  }

  private boolean ensureTrainedTeacher(Study study, DataSplits data, ModelShape shape, Path dir) {
    Path descriptor = dir.resolve("teacher.json");
    if (Files.isRegularFile(descriptor)
        && Files.isRegularFile(dir.resolve("teacher-0000.params"))) {
      log.accept("teacher: reusing " + dir);
      return false;
    }
    if (reuse != null) {
      throw new IllegalArgumentException(
          "the teacher the students of "
              + reuse
              + " were distilled from is no longer at "
              + dir
              + "; evaluating them needs it");
    }
    TeacherConfig tc = study.teacher();
    Student arch = createStudent(tc.trainArchitecture(), shape);
    StrategyProvider ce = registry.strategies().get(TEACHER_STRATEGY);
    TrainTerm term =
        new TrainTerm(ce.id(), ce.create(ce.params().defaults()), 1.0, ce.capabilities());
    long seed = study.seeds().get(0);
    log.accept("teacher: training " + arch.describe() + " (seed " + seed + ")");
    TrainResult r =
        new DistillationTrainer(
                tc.trainTraining(), seed, List.of(term), null, listeners.apply("teacher"))
            .train(arch, data, false, dir, "teacher");
    if (!r.ok()) {
      throw new IllegalStateException("teacher training failed: " + r.error());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("architecture", tc.trainArchitecture().id());
    json.put("params", tc.trainArchitecture().params().values());
    json.put("input_shape", shape.input().getShape());
    json.put("classes", shape.numClasses());
    json.put("description", arch.describe());
    json.put("best_epoch", r.bestEpoch() + 1);
    json.put("val_acc", r.bestValAcc());
    json.put("seed", seed);
    json.put("data_hash", data.hash());
    try {
      Files.writeString(
          descriptor,
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeHistory(dir, r);
    return true;
  }

  /**
   * Where the teacher a study trains ({@code teacher.train}) is stored: {@code
   * <output.dir>/teachers/<id>}, the id a hash of architecture, parameters, training settings,
   * first seed and data, so every study with the same identity reuses it. Load it with the {@code
   * djl-model} teacher plugin ({@code path}).
   *
   * @param study the study
   * @param dataHash {@link DataSplits#hash()} of its data ({@link StudyResult#dataHash()})
   * @return the directory (it exists once the study has trained or reused the teacher)
   */
  public static Path teacherDir(Study study, String dataHash) {
    TeacherConfig tc = study.teacher();
    String identity =
        "arch="
            + tc.trainArchitecture().id()
            + "\nparams="
            + tc.trainArchitecture().params().values()
            + "\ntraining="
            + tc.trainTraining()
            + "\nseed="
            + study.seeds().get(0)
            + "\ndata="
            + dataHash;
    return study.output().dir().resolve("teachers").resolve(sha256(identity).substring(0, 16));
  }

  private Student createStudent(PluginRef ref, ModelShape shape) {
    var provider = registry.students().get(ref.id());
    return wrap(ref.id(), () -> provider.create(ref.params(), shape));
  }

  private boolean needsTeacher(String strategyId) {
    return registry
        .strategies()
        .get(strategyId)
        .capabilities()
        .contains(org.taqtir.api.Capability.NEEDS_TEACHER);
  }

  /** Loads the study's data: IDX images, or a CSV table whose fitted encoding is recorded. */
  private DataSplits loadData(Study study, Path out) {
    var d = study.data();
    if (d.table() == null) {
      return FashionMnist.load(
          d.dir(), d.trainLimit(), d.testLimit(), d.validation(), d.splitSeed());
    }
    CsvTable.Prepared t = CsvTable.load(d.table(), d.validation(), d.splitSeed());
    try {
      write(
          out.resolve("data-schema.json"),
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

  /** The teacher's logits on new rows of features (MUNGE's synthetic transfer samples). */
  private static java.util.function.UnaryOperator<float[]> teacherOn(
      Teacher teacher, NDManager manager, int width) {
    return x -> {
      if (teacher.indexed()) {
        throw new IllegalArgumentException(
            "munge: the teacher looks its outputs up by sample row and cannot label synthetic"
                + " samples; set the student's munge to 0");
      }
      try (NDManager m = manager.newSubManager()) {
        NDArray in = m.create(x, new Shape(x.length / width, width));
        NDArray logits = teacher.forward(in, null, Set.of()).logits();
        logits.attach(m);
        return logits.toFloatArray();
      }
    };
  }

  /** Names of the students fitted by a classical learner instead of the DJL loop. */
  private Set<String> classicalStudents(Study study, ModelShape shape) {
    Set<String> names = new LinkedHashSet<>();
    for (StudentConfig sc : study.students()) {
      if (createStudent(sc.architecture(), shape) instanceof ClassicalStudent) {
        names.add(sc.name());
      }
    }
    return names;
  }

  /**
   * The splits the students see: the training split without the samples of the omitted classes
   * ({@code data.transfer_exclude_classes}); the same object when none are omitted.
   *
   * @param study the study
   * @param data its loaded splits
   * @param omitted {@code study.data().transferExcludeClasses()}
   * @return the transfer splits, whose training split is the one the teacher outputs are cached for
   */
  public static DataSplits transferSet(Study study, DataSplits data, List<Integer> omitted) {
    if (omitted.isEmpty()) {
      return data;
    }
    int classes = data.train().numClasses();
    for (int i = 0; i < omitted.size(); i++) {
      if (omitted.get(i) >= classes) {
        String file = study.file() == null ? "study" : study.file().getFileName().toString();
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
        java.util.stream.IntStream.range(0, labels.length)
            .filter(i -> !omitted.contains(labels[i]))
            .toArray();
    if (keep.length == 0) {
      String file = study.file() == null ? "study" : study.file().getFileName().toString();
      throw new IllegalArgumentException(
          file
              + ": data.transfer_exclude_classes "
              + omitted
              + " leaves no training sample; omit fewer classes");
    }
    return new DataSplits(data.train().subset(keep), data.validation(), data.test(), data.hash());
  }

  /**
   * Fails before any training when a method needs teacher taps the teacher does not expose (e.g.
   * FitNets with an ONNX or logits-file teacher), naming the method, the strategy, the missing taps
   * and the configured methods that do fit.
   */
  private void checkTeacherTaps(Study study, List<String> available, String teacher) {
    Map<String, Set<String>> needs = new LinkedHashMap<>();
    for (MethodConfig m : study.strategies()) {
      Set<String> taps = new LinkedHashSet<>();
      for (Term t : m.terms()) {
        StrategyProvider p = registry.strategies().get(t.strategy().id());
        if (!p.capabilities().contains(org.taqtir.api.Capability.NEEDS_TEACHER)) {
          continue;
        }
        try (var s = wrap(p.id(), () -> p.create(t.strategy().params()))) {
          taps.addAll(s.teacherTaps());
        }
      }
      needs.put(m.name(), taps);
    }
    List<String> fit =
        needs.entrySet().stream()
            .filter(e -> available.containsAll(e.getValue()))
            .map(Map.Entry::getKey)
            .toList();
    for (MethodConfig m : study.strategies()) {
      Set<String> missing = new LinkedHashSet<>(needs.get(m.name()));
      missing.removeAll(available);
      if (!missing.isEmpty()) {
        String file = study.file() == null ? "study" : study.file().getFileName().toString();
        List<String> ids = m.terms().stream().map(t -> t.strategy().id()).toList();
        throw new IllegalArgumentException(
            file
                + ": method '"
                + m.name()
                + "' ("
                + String.join(" + ", ids)
                + ") needs teacher feature taps "
                + missing
                + ", but teacher "
                + teacher
                + (available.isEmpty() ? " exposes logits only" : " exposes only taps " + available)
                + "; configured methods that fit this teacher: "
                + (fit.isEmpty() ? "(none)" : String.join(", ", fit))
                + "; strategies that need no teacher features: "
                + String.join(
                    ", ",
                    registry.strategies().all().stream()
                        .filter(
                            p ->
                                p.capabilities().contains(org.taqtir.api.Capability.NEEDS_TEACHER)
                                    && !p.capabilities()
                                        .contains(org.taqtir.api.Capability.NEEDS_FEATURES))
                        .map(StrategyProvider::id)
                        .toList()));
      }
    }
  }

  /**
   * The teacher features the study's strategies ask for, cached with the logits on the training
   * split.
   *
   * @param study the study
   * @return the tap names, in the order the strategies name them
   */
  public Set<String> teacherTaps(Study study) {
    Set<String> taps = new LinkedHashSet<>();
    for (MethodConfig m : study.strategies()) {
      for (Term t : m.terms()) {
        StrategyProvider p = registry.strategies().get(t.strategy().id());
        try (var s = p.create(t.strategy().params())) {
          taps.addAll(s.teacherTaps());
        }
      }
    }
    return taps;
  }

  /** Runs plugin code, naming the plugin in any exception it throws. */
  private static <T> T wrap(String id, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(m.startsWith(id + ":") ? m : id + ": " + m, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("plugin " + id + " failed: " + e, e);
    }
  }

  private static void writeHistory(Path dir, TrainResult r) {
    StringBuilder sb =
        new StringBuilder("epoch,train_loss,val_loss,val_acc,lr,seconds,samples_per_second\n");
    for (var m : r.history()) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "%d,%.6f,%.6f,%.6f,%.6g,%.3f,%.1f%n",
              m.epoch() + 1,
              m.trainLoss(),
              m.valLoss(),
              m.valAcc(),
              m.learningRate(),
              m.seconds(),
              m.samplesPerSecond()));
    }
    write(dir.resolve("history.csv"), sb.toString());
  }

  private static Path newRunDir(Study study) {
    Path base = study.output().dir().resolve(study.name());
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    for (int i = 0; ; i++) {
      Path p = base.resolve(i == 0 ? stamp : stamp + "-" + i);
      try {
        Files.createDirectories(base);
        return Files.createDirectory(p);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another run started in the same second: try the next suffix
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
      }
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String safe(String label) {
    return label.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
