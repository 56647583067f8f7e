package org.taqtir.core.study;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherProvider;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.StudentConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherConfig;
import org.taqtir.core.config.TeacherOutputs;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TeacherSummary;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.task.TeacherEvaluation;
import org.taqtir.core.teacher.DefaultTeacherContext;
import org.taqtir.core.teacher.TeacherOutputCache;
import org.taqtir.core.teacher.TopKTeacher;
import org.taqtir.core.train.TeacherSignal;
import org.taqtir.core.train.TrainingListener;

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
  private int recordingFailures;
  private String firstRecordingFailure;

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
  public void observe(Consumer<StudyObserver> call) {
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      recordingFailures++;
      if (firstRecordingFailure == null) {
        firstRecordingFailure = String.valueOf(e.getMessage());
      }
      log.accept("warning: recording failed: " + e.getMessage());
    }
  }

  /**
   * Returns how many calls of the observer failed (each was logged, and the study went on): a
   * caller must not report a study as recorded when this is not 0.
   *
   * @return the number of failed records
   */
  public int recordingFailures() {
    return recordingFailures;
  }

  /**
   * Returns the first recording failure's message.
   *
   * @return the message, or null when none failed
   */
  public String firstRecordingFailure() {
    return firstRecordingFailure;
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
   * Tells whether the study needs its teacher: a method reads it, a student is fitted to it, or the
   * task's evaluation compares with it.
   *
   * @param study the resolved study
   * @param data its data
   * @return whether the teacher stage runs
   */
  public boolean needsTeacher(ResolvedStudy study, TaskData data) {
    return study.anyTermNeedsTeacher()
        || study.methods().stream().anyMatch(m -> m.generation() != null)
        || data.evaluatesTeacher()
        || !classicalStudents(study, data.shape()).isEmpty();
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
    if (!needsTeacher(study, data)) {
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
        Student arch = createStudent(s.teacher().trainArchitecture(), data.teacherShape());
        TeacherTraining.checkTaps(registry, study, arch.taps(), arch.describe());
        Path dir = teacherDir(s, data.hash());
        trained = new TeacherTraining(this).ensure(study, data, dir, evaluateOnly);
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
      TeacherTraining.checkTaps(
          registry, study, teacher.taps(), ref.id() + " (" + teacher.describe() + ")");
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
      // The transfer set's outputs are cached only when a method reads them from the cache; taqtir
      // evaluate trains nothing, so the (cached) validation entry stands in for them.
      boolean cached =
          s.teacher().outputs() == TeacherOutputs.CACHED && study.anyTermNeedsTeacher();
      // The students see a top-k teacher through its k most likely tokens (teacher.top_k); the
      // teacher is evaluated with its full outputs.
      Teacher view = data.teacherForStudents(teacher);
      Teacher seen = seenByStudents(view, s.teacher());
      Set<String> half =
          seen instanceof TopKTeacher top ? top.halfTaps(data.shape().numClasses()) : Set.of();
      Set<String> cacheTaps = new java.util.TreeSet<>(study.teacherTaps());
      if (view != teacher) {
        // what the task's view adds (e.g. alignment masks) is read by the strategies: cache it
        cacheTaps.addAll(view.taps());
      }
      if (seen instanceof TopKTeacher) {
        cacheTaps.addAll(TopKTeacher.TAPS);
      }
      TeacherOutputCache.Entry train =
          evaluateOnly
              ? cache.get(view, data.validation(), Set.of(), manager)
              : cached ? cache.get(seen, data.train(), cacheTaps, half, manager) : null;
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
              train != null && train.hit(),
              train == null ? 0 : train.seconds());
      log.accept(
          String.format(
              "teacher: %s, val acc %.4f, test acc %.4f; %s",
              teacher.describe(),
              evaluation.valAcc(),
              evaluation.testAcc(),
              train == null
                  ? "outputs computed per batch where needed"
                  : String.format(
                      "outputs %s in %.2f s%s",
                      train.hit() ? "read from cache" : "computed and cached",
                      train.seconds(),
                      sizeOf(train.file()))));
      TeacherSignal signal =
          cached && !evaluateOnly
              ? TeacherStage.cached(train, data.shape().numClasses())
              : new TeacherSignal.Live(seen);
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
   * The teacher as the students' strategies see it: the task's view of it, through its k most
   * likely tokens with {@code teacher.top_k}.
   *
   * @param view {@link TaskData#teacherForStudents} of the teacher
   * @param config the study's teacher block
   * @return the view, or its top-k wrapper
   */
  static Teacher seenByStudents(Teacher view, TeacherConfig config) {
    return config.topK() > 0 ? new TopKTeacher(view, config.topK(), config.topKHalf()) : view;
  }

  /** The size of a cache file for the log, e.g. {@code (10.7 MB)}; empty when unknown. */
  private static String sizeOf(Path file) {
    try {
      return file == null || !Files.isRegularFile(file)
          ? ""
          : String.format(Locale.ROOT, " (%.2f MB)", Files.size(file) / 1e6);
    } catch (IOException e) {
      return "";
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
    new TeacherTraining(this).ensure(study, data, dir, false);
    return dir;
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
    return TeacherTraining.dir(study, dataHash);
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

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
