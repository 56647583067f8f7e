package org.taqtir.core.study;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.taqtir.api.Capability;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherProvider;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.StudentConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.config.TeacherOutputs;
import org.taqtir.core.config.Term;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.History;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TeacherSummary;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.task.TeacherEvaluation;
import org.taqtir.core.teacher.DefaultTeacherContext;
import org.taqtir.core.teacher.TeacherOutputCache;
import org.taqtir.core.train.Selection;
import org.taqtir.core.train.TeacherSignal;
import org.taqtir.core.train.Trainer;
import org.taqtir.core.train.TrainingListener;
import org.taqtir.core.train.TrainingTrace;

/**
 * The phases of a study, each callable on its own: {@link #resolve} (one provider lookup per term),
 * {@link #inputs} (the task loads the data), {@link #teacher} (train or load the teacher, cache its
 * outputs, evaluate it), {@link #student} (one student × method × seed: {@link StudentRun}) and the
 * task's evaluation. {@link StudyRunner} calls them in order for {@code taqtir run}, the kernel and
 * a Spark sweep's runs; the Spark jobs call the phases they distribute.
 *
 * <p>A teacher the study trains ({@code teacher.train}) is trained with the task's label strategy
 * and saved under {@code <output>/teachers/<hash of architecture, training, seed and data>} in the
 * layout the {@value #TEACHER_LOADER} teacher plugin reads, then loaded through that plugin: a
 * later study with the same teacher section reuses it instead of training again.
 */
public final class StudyPipeline {

  /** Teacher plugin id that loads a teacher trained by a study. */
  public static final String TEACHER_LOADER = "djl-model";

  private final PluginRegistry registry;
  private final Function<String, TrainingListener> progress;
  private final Consumer<String> log;
  private StudyObserver observer = StudyObserver.NONE;

  /**
   * Creates a pipeline.
   *
   * @param registry plugins
   * @param progress progress listener per phase label (e.g. {@code "teacher"}, {@code
   *     "mlp/kd/seed1"})
   * @param log receives one-line status messages
   */
  public StudyPipeline(
      PluginRegistry registry, Function<String, TrainingListener> progress, Consumer<String> log) {
    this.registry = registry;
    this.progress = progress;
    this.log = log;
  }

  /**
   * Sets who records the study's life cycle (e.g. a run store).
   *
   * @param observer the observer; its failures are logged and never stop the study
   * @return this pipeline
   */
  public StudyPipeline observer(StudyObserver observer) {
    this.observer = observer == null ? StudyObserver.NONE : observer;
    return this;
  }

  /**
   * Calls the observer, logging instead of failing: a broken recorder must not lose a run.
   *
   * @param call the call
   */
  void observe(Consumer<StudyObserver> call) {
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      log.accept("warning: recording failed: " + e.getMessage());
    }
  }

  PluginRegistry registry() {
    return registry;
  }

  Consumer<String> log() {
    return log;
  }

  TrainingListener progress(String label) {
    return progress.apply(label);
  }

  // ---- resolve

  /**
   * Looks every plugin of a study up once.
   *
   * @param study a parsed study
   * @return the resolved study
   */
  public ResolvedStudy resolve(Study study) {
    return ResolvedStudy.of(study, registry);
  }

  // ---- inputs

  /**
   * Loads the study's data through its task.
   *
   * @param study the resolved study
   * @param runDir the study run's directory, or null when nothing is written (a Spark executor)
   * @return the data
   */
  public TaskData inputs(ResolvedStudy study, Path runDir) {
    return study.task().load(study.study(), runDir, log);
  }

  // ---- teacher stage

  /**
   * Tells whether the study needs its teacher: a method reads it, or a student is fitted to it.
   *
   * @param study the resolved study
   * @param shape the data's shape
   * @return whether the teacher stage runs
   */
  public boolean needsTeacher(ResolvedStudy study, ModelShape shape) {
    return study.anyTermNeedsTeacher() || !classicalStudents(study, shape).isEmpty();
  }

  /**
   * Makes the teacher ready: trains it (or reuses an identical one), or loads it; caches its
   * outputs on the transfer set with the taps the strategies read; lets the task evaluate it.
   *
   * @param study the resolved study
   * @param data its data
   * @param evaluateOnly true for {@code taqtir evaluate}: nothing is trained, so a trained teacher
   *     must already exist and the transfer set's outputs are not needed
   * @return the stage (the caller closes it); {@link TeacherStage#NONE} when no teacher is needed
   */
  public TeacherStage teacher(ResolvedStudy study, TaskData data, boolean evaluateOnly) {
    if (!needsTeacher(study, data.shape())) {
      return TeacherStage.NONE;
    }
    Study s = study.study();
    NDManager manager = NDManager.newBaseManager();
    Teacher teacher = null;
    try {
      long start = System.nanoTime();
      boolean trained = false;
      PluginRef load = s.teacher().load();
      if (load == null) {
        Student arch = createStudent(s.teacher().trainArchitecture(), data.shape());
        checkTeacherTaps(study, arch.taps(), arch.describe());
        Path dir = teacherDir(s, data.hash());
        trained = ensureTrainedTeacher(study, data, dir, evaluateOnly);
        load =
            new PluginRef(
                TEACHER_LOADER, new Params(Map.of("path", dir.toAbsolutePath().toString())));
      }
      double trainSeconds = trained ? (System.nanoTime() - start) / 1e9 : 0;
      PluginRef ref = load;
      TeacherProvider provider = registry.teachers().get(ref.id());
      teacher =
          wrap(
              ref.id(),
              () ->
                  provider.create(
                      ref.params(), DefaultTeacherContext.forStudy(s, data, manager, registry)));
      checkTeacherTaps(study, teacher.taps(), ref.id() + " (" + teacher.describe() + ")");
      if (teacher.indexed()) {
        if (s.teacher().outputs() == TeacherOutputs.PER_BATCH) {
          throw new IllegalArgumentException(
              "teacher.outputs: per-batch runs the teacher on every batch, but teacher "
                  + ref.id()
                  + " looks its outputs up by sample index and cannot see new inputs; use"
                  + " outputs: cached");
        }
        data.teacherIsIndexed(ref.id(), log);
      }
      TeacherOutputCache cache = new TeacherOutputCache(s.output().dir().resolve("cache"));
      // taqtir evaluate trains nothing, so it needs no transfer-set outputs: the (cached)
      // validation entry stands in for them
      TeacherOutputCache.Entry train =
          evaluateOnly
              ? cache.get(teacher, data.validation(), Set.of(), manager)
              : cache.get(teacher, data.train(), study.teacherTaps(), manager);
      Teacher t = teacher;
      TeacherEvaluation evaluation =
          data.evaluateTeacher(
              t, samples -> cache.get(t, samples, Set.of(), manager).logits(), log);
      TeacherSummary summary =
          new TeacherSummary(
              teacher.describe(),
              teacher.fingerprint(),
              trained,
              trainSeconds,
              evaluation.valAcc(),
              evaluation.testAcc(),
              train.hit(),
              train.seconds());
      log.accept(
          String.format(
              "teacher: %s, val acc %.4f, test acc %.4f; outputs %s in %.2f s",
              teacher.describe(),
              evaluation.valAcc(),
              evaluation.testAcc(),
              train.hit() ? "read from cache" : "computed and cached",
              train.seconds()));
      observe(o -> o.teacherReady(summary));
      TeacherSignal signal =
          s.teacher().outputs() == TeacherOutputs.PER_BATCH
              ? new TeacherSignal.Live(teacher)
              : TeacherStage.cached(train, data.shape().numClasses());
      return new TeacherStage(manager, teacher, cache, signal, summary, evaluation, data);
    } catch (RuntimeException | Error e) {
      if (teacher != null) {
        teacher.close();
      }
      manager.close();
      throw e;
    }
  }

  /**
   * Trains the teacher a study trains ({@code teacher.train}) unless it is already at {@link
   * #teacherDir}, without training any student (e.g. before a distributed sweep whose runs must all
   * load the same teacher).
   *
   * @param study the resolved study, with {@code teacher.train}
   * @param data its data (the teacher trains on {@link TaskData#teacherTrain()})
   * @return the teacher's directory, to load with the {@value #TEACHER_LOADER} plugin
   * @throws IllegalArgumentException when the study loads its teacher instead of training one
   */
  public Path trainTeacher(ResolvedStudy study, TaskData data) {
    Study s = study.study();
    if (s.teacher().trainArchitecture() == null) {
      throw new IllegalArgumentException(
          "teacher: the study loads its teacher (" + s.teacher().load().id() + ")");
    }
    Path dir = teacherDir(s, data.hash());
    ensureTrainedTeacher(study, data, dir, false);
    return dir;
  }

  private boolean ensureTrainedTeacher(
      ResolvedStudy study, TaskData data, Path dir, boolean evaluateOnly) {
    Path descriptor = dir.resolve("teacher.json");
    if (Files.isRegularFile(descriptor)
        && Files.isRegularFile(dir.resolve("teacher-0000.params"))) {
      log.accept("teacher: reusing " + dir);
      return false;
    }
    if (evaluateOnly) {
      throw new IllegalArgumentException(
          "the teacher the students were distilled from is no longer at "
              + dir
              + "; evaluating them needs it");
    }
    Study s = study.study();
    TeacherConfig tc = s.teacher();
    Student arch = createStudent(tc.trainArchitecture(), data.shape());
    String labelId = study.task().labelStrategy();
    StrategyProvider labels = registry.strategies().get(labelId);
    Term.Bound term =
        new Term(new PluginRef(labelId, labels.params().defaults()), 1.0).bind(labels);
    long seed = s.seeds().get(0);
    log.accept("teacher: training " + arch.describe() + " (seed " + seed + ")");
    Trainer trainer =
        new Trainer(tc.trainTraining(), seed, List.of(term), null)
            .select(Selection.of(s.evaluation().select()))
            .listeners(
                TrainingTrace.start("teacher", data.teacherTrain(), data.validation(), data.test()),
                progress.apply("teacher"));
    try (Trainer.Fit fit = trainer.fit(arch, "teacher", data.teacherTrain(), data.validator())) {
      var r = fit.result();
      if (!r.ok()) {
        throw new IllegalStateException("teacher training failed: " + r.error());
      }
      if (fit.run().bestWeights() != null) {
        fit.model().save(dir);
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("architecture", tc.trainArchitecture().id());
      json.put("params", tc.trainArchitecture().params().values());
      json.put("input_shape", data.shape().input().getShape());
      json.put("classes", data.shape().numClasses());
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
      History.write(dir, r.history());
    }
    return true;
  }

  /**
   * Where the teacher a study trains ({@code teacher.train}) is stored: {@code
   * <output.dir>/teachers/<id>}, the id a hash of architecture, parameters, training settings,
   * first seed and data (and the selection metric when it is not validation accuracy), so every
   * study with the same identity reuses it. Load it with the {@value #TEACHER_LOADER} teacher
   * plugin ({@code path}).
   *
   * @param study the study
   * @param dataHash the content hash of its data ({@link StudyResult#dataHash()})
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
            + dataHash
            + (Selection.VAL_ACC.equals(study.evaluation().select())
                ? ""
                : "\nselect=" + study.evaluation().select());
    return study.output().dir().resolve("teachers").resolve(sha256(identity).substring(0, 16));
  }

  /**
   * Returns the names of the students fitted by their own learner instead of the training loop.
   *
   * @param study the resolved study
   * @param shape the data's shape
   * @return student names
   */
  public Set<String> classicalStudents(ResolvedStudy study, ModelShape shape) {
    Set<String> names = new LinkedHashSet<>();
    for (StudentConfig sc : study.study().students()) {
      if (createStudent(sc.architecture(), shape) instanceof ClassicalStudent) {
        names.add(sc.name());
      }
    }
    return names;
  }

  Student createStudent(PluginRef ref, ModelShape shape) {
    var provider = registry.students().get(ref.id());
    return wrap(ref.id(), () -> provider.create(ref.params(), shape));
  }

  /**
   * Fails before any training when a method needs teacher taps the teacher does not expose (e.g.
   * FitNets with an ONNX or logits-file teacher), naming the method, the strategy, the missing taps
   * and the configured methods that do fit.
   */
  private void checkTeacherTaps(ResolvedStudy study, List<String> available, String teacher) {
    List<String> fit =
        study.methods().stream()
            .filter(m -> available.containsAll(m.teacherTaps()))
            .map(ResolvedStudy.Method::name)
            .toList();
    for (ResolvedStudy.Method m : study.methods()) {
      Set<String> missing = new LinkedHashSet<>(m.teacherTaps());
      missing.removeAll(available);
      if (!missing.isEmpty()) {
        Study s = study.study();
        String file = s.file() == null ? "study" : s.file().getFileName().toString();
        List<String> ids = m.terms().stream().map(Term.Bound::id).toList();
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
                                p.capabilities().contains(Capability.NEEDS_TEACHER)
                                    && !p.capabilities().contains(Capability.NEEDS_FEATURES)
                                    && p.tasks().contains(s.task()))
                        .map(StrategyProvider::id)
                        .toList()));
      }
    }
  }

  // ---- student runs

  /**
   * Trains (or resumes, or re-evaluates) one student with one method and seed.
   *
   * @param study the resolved study
   * @param data its data
   * @param teacher its teacher stage
   * @param student the student
   * @param method the method
   * @param seed the seed
   * @param place where the run's files go and whether it continues or re-evaluates an earlier run
   * @return the run's summary
   */
  public RunSummary student(
      ResolvedStudy study,
      TaskData data,
      TeacherStage teacher,
      StudentConfig student,
      ResolvedStudy.Method method,
      long seed,
      StudentRun.Place place) {
    return new StudentRun(this, study, data, teacher, student, method, seed).run(place);
  }

  /**
   * Fits a student its own learner trains, for one seed (two runs: true labels and teacher).
   *
   * @param study the resolved study
   * @param data its data
   * @param teacher its teacher stage
   * @param student the student
   * @param seed the seed
   * @param runsDir where the runs' files go
   * @return the two runs
   */
  public List<RunSummary> classical(
      ResolvedStudy study,
      TaskData data,
      TeacherStage teacher,
      StudentConfig student,
      long seed,
      Path runsDir) {
    ClassicalStudent s = (ClassicalStudent) createStudent(student.architecture(), data.shape());
    return data.fitClassical(
        s,
        student.name(),
        teacher.transferLogits(),
        teacher.on(data.shape().flatInputSize()),
        seed,
        runsDir,
        new Recorder(),
        log);
  }

  /** Passes run events to the observer, never failing. */
  final class Recorder implements org.taqtir.core.run.RunObserver {
    @Override
    public void runStarted(org.taqtir.core.run.RunStart run) {
      observe(o -> o.runStarted(run));
    }

    @Override
    public void epochDone(String label, org.taqtir.core.run.EpochMetrics metrics) {
      observe(o -> o.epochDone(label, metrics));
    }

    @Override
    public void runFinished(String label, RunSummary run) {
      observe(o -> o.runFinished(label, run));
    }
  }

  // ---- evaluation and rendering

  /**
   * Writes a study's evaluation as data, {@code loss-report.json} in its run directory (the file
   * the renderers and other tools read; the run store gets its metrics through the observer).
   *
   * @param result the study's results
   * @return the file, or null when the study has no report
   */
  public static Path writeReport(StudyResult result) {
    if (result.report() == null) {
      return null;
    }
    Path file = result.outputDir().resolve("loss-report.json");
    try {
      write(
          file,
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(result.report()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * Renders a study's results with every renderer of its task on the class path.
   *
   * @param result the study's results
   * @param out receives the console lines
   * @return what was written, all renderers together
   */
  public static StudyRenderer.Rendered render(StudyResult result, Consumer<String> out) {
    List<Path> files = new java.util.ArrayList<>();
    List<String> missed = new java.util.ArrayList<>();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    boolean any = false;
    for (StudyRenderer r :
        java.util.ServiceLoader.load(
            StudyRenderer.class, cl != null ? cl : StudyRenderer.class.getClassLoader())) {
      if (r.task().equals(result.study().task())) {
        any = true;
        StudyRenderer.Rendered done = r.render(result, out);
        files.addAll(done.files());
        missed.addAll(done.missedTargets());
      }
    }
    if (!any) {
      out.accept("no report renderer for task " + result.study().task() + " on the class path");
    }
    return new StudyRenderer.Rendered(files, missed);
  }

  // ---- helpers

  /** Runs plugin code, naming the plugin in any exception it throws. */
  static <T> T wrap(String id, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(m.startsWith(id + ":") ? m : id + ": " + m, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("plugin " + id + " failed: " + e, e);
    }
  }

  static String safe(String label) {
    return label.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
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

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
