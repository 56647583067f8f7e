package org.taqtir.core.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.taqtir.core.config.StudentConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.train.TrainingListener;

/**
 * Runs a study end to end, through the phases of {@link StudyPipeline}: resolves it, loads the
 * data, makes the teacher ready, trains every student with every method and seed (writing each
 * run's history, weights and checkpoints), and evaluates what they lost. The CLI's {@code run},
 * {@code evaluate} and {@code reproduce}, the notebooks and each run of a Spark sweep all come
 * here.
 */
public final class StudyRunner {

  /** File name of a student run's per-epoch checkpoint, in its run directory. */
  public static final String CHECKPOINT = StudentRun.CHECKPOINT;

  /** Teacher plugin id that loads a teacher trained by a study. */
  public static final String TEACHER_LOADER = StudyPipeline.TEACHER_LOADER;

  private final StudyPipeline pipeline;
  private Path reuse;
  private Path fixedOutput;
  private Path resumeDir;

  /**
   * Creates a runner.
   *
   * @param registry plugins
   * @param listeners progress listener per phase label (e.g. {@code "teacher"}, {@code
   *     "mlp/kd/seed1"})
   * @param log receives one-line status messages
   */
  public StudyRunner(
      PluginRegistry registry, Function<String, TrainingListener> listeners, Consumer<String> log) {
    this.pipeline = new StudyPipeline(registry, listeners, log);
  }

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
   * <p>The caller holds the run's {@link RunLock} for as long as it runs ({@code taqtir run
   * --resume} takes it before it checks the run's recorded status), so no other process resumes the
   * same run at once; a fresh run takes its own lock.
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
    pipeline.observer(observer);
    return this;
  }

  /**
   * Returns the pipeline this runner runs, for callers that run single phases.
   *
   * @return the pipeline
   */
  public StudyPipeline pipeline() {
    return pipeline;
  }

  /**
   * Runs the study.
   *
   * @param study the parsed, validated study
   * @return the results; the run directory holds the resolved config and every run's files
   */
  public StudyResult run(Study study) {
    ResolvedStudy resolved = pipeline.resolve(study);
    boolean fresh = resumeDir == null;
    Path out = !fresh ? resumeDir : fixedOutput == null ? newRunDir(study) : freshDir(fixedOutput);
    // A resumed run's lock is taken by the caller before it checks the run's status.
    try (RunLock lock =
        fresh ? RunLock.acquire(out, out + ": another process is running this study") : null) {
      return run(study, resolved, out, fresh);
    }
  }

  private StudyResult run(Study study, ResolvedStudy resolved, Path out, boolean fresh) {
    // Everything that can be checked is checked before the study is recorded: the data, every
    // student's architecture, the teacher (trained, reused or loaded, and evaluated). A study
    // refused here leaves no record and no run directory.
    TaskData data;
    Set<String> classical;
    TeacherStage teacher;
    try {
      data = pipeline.inputs(resolved, out);
      classical = pipeline.classicalStudents(resolved, data.shape());
      teacher = pipeline.teacher(resolved, data, reuse != null);
    } catch (RuntimeException | Error e) {
      if (fresh) {
        removeRunDir(out, fixedOutput == null);
      }
      throw e;
    }
    try (teacher) {
      if (fresh) {
        StudyPipeline.write(out.resolve("study.resolved.yaml"), study.toYaml());
      }
      pipeline.observe(o -> o.studyStarted(study, out, data.hash()));
      if (teacher.summary() != null) {
        pipeline.observe(o -> o.teacherReady(teacher.summary()));
      }
      try {
        return runStudents(study, resolved, data, classical, teacher, out);
      } catch (RuntimeException | Error e) {
        pipeline.observe(o -> o.studyFailed(e));
        throw e;
      }
    }
  }

  private StudyResult runStudents(
      Study study,
      ResolvedStudy resolved,
      TaskData data,
      Set<String> classical,
      TeacherStage teacher,
      Path out) {
    List<RunSummary> runs = new ArrayList<>();
    for (StudentConfig sc : study.students()) {
      if (classical.contains(sc.name())) {
        for (long seed : study.seeds()) {
          runs.addAll(pipeline.classical(resolved, data, teacher, sc, seed, out.resolve("runs")));
        }
        continue;
      }
      for (ResolvedStudy.Method method : resolved.methods()) {
        for (long seed : study.seeds()) {
          String label = sc.name() + "/" + method.name() + "/seed" + seed;
          StudentRun.Place place =
              new StudentRun.Place(
                  StudentRun.Place.dirOf(out, label),
                  resumeDir != null,
                  reuse == null ? null : StudentRun.Place.dirOf(reuse, label));
          runs.add(pipeline.student(resolved, data, teacher, sc, method, seed, place));
        }
      }
    }
    StudyReport report = data.evaluateStudy(runs, teacher.evaluation(), pipeline.log());
    StudyResult result =
        new StudyResult(
            study,
            out,
            teacher.summary(),
            runs,
            data.hash(),
            teacher.evaluation() == null ? null : teacher.evaluation().predictions(),
            report);
    StudyPipeline.writeReport(result);
    pipeline.observe(o -> o.studyFinished(result));
    return result;
  }

  /**
   * Removes the run directory this call created, when the study was refused before it started: it
   * holds only what the data phase wrote (e.g. {@code data-schema.json}) and the lock. The study's
   * folder {@code <output>/<name>} goes too when that leaves it empty ({@code studyFolder}); a
   * directory the caller named keeps its parent.
   */
  private static void removeRunDir(Path dir, boolean studyFolder) {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      if (!studyFolder) {
        return;
      }
      Path parent = dir.toAbsolutePath().getParent();
      try (var left = Files.list(parent)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(parent);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: the refusal being reported matters more than a leftover directory
    }
  }

  /**
   * Trains the teacher a study trains ({@code teacher.train}) unless it is already at {@link
   * #teacherDir}, exactly as {@link #run} would, without training any student.
   *
   * @param study a study with {@code teacher.train}
   * @return the teacher's directory, to load with the {@value #TEACHER_LOADER} plugin
   * @throws IllegalArgumentException when the study loads its teacher instead of training one
   */
  public Path trainTeacher(Study study) {
    ResolvedStudy resolved = pipeline.resolve(study);
    return pipeline.trainTeacher(resolved, pipeline.inputs(resolved, null));
  }

  /**
   * Where the teacher a study trains ({@code teacher.train}) is stored (see {@link
   * StudyPipeline#teacherDir}).
   *
   * @param study the study
   * @param dataHash the content hash of its data ({@link StudyResult#dataHash()})
   * @return the directory
   */
  public static Path teacherDir(Study study, String dataHash) {
    return StudyPipeline.teacherDir(study, dataHash);
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
}
