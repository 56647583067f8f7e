package org.taqtir.core.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.api.Generation;
import org.taqtir.api.Student;
import org.taqtir.core.config.StudentConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.Samples;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.History;
import org.taqtir.core.run.RunStart;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TrainResult;
import org.taqtir.core.task.RunEvaluation;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.train.BatchRewriter;
import org.taqtir.core.train.Selection;
import org.taqtir.core.train.StudentModel;
import org.taqtir.core.train.TeacherSignal;
import org.taqtir.core.train.Trainer;
import org.taqtir.core.train.TrainingListener;
import org.taqtir.core.train.TrainingRun;
import org.taqtir.core.train.TrainingTrace;

/**
 * One student run: one student × method × seed, trained (or continued from its checkpoint, or
 * re-evaluated from its saved weights), evaluated by the task, recorded, its history written.
 */
final class StudentRun {

  /** File name of a student run's per-epoch checkpoint, in its run directory. */
  static final String CHECKPOINT = "checkpoint.bin";

  /** DJL model name of a student's saved weights ({@code student-0000.params}). */
  static final String MODEL_NAME = "student";

  private final StudyPipeline pipeline;
  private final ResolvedStudy study;
  private final TaskData data;
  private final TeacherStage teacher;
  private final StudentConfig student;
  private final ResolvedStudy.Method method;
  private final long seed;
  private final String label;

  StudentRun(
      StudyPipeline pipeline,
      ResolvedStudy study,
      TaskData data,
      TeacherStage teacher,
      StudentConfig student,
      ResolvedStudy.Method method,
      long seed) {
    this.pipeline = pipeline;
    this.study = study;
    this.data = data;
    this.teacher = teacher;
    this.student = student;
    this.method = method;
    this.seed = seed;
    this.label = student.name() + "/" + method.name() + "/seed" + seed;
  }

  /**
   * Where a run's files go, and what it does with an earlier run's.
   *
   * @param dir the run's directory, {@code <study run>/runs/<label>}
   * @param resume whether the study continues an interrupted run of itself: a finished run ({@code
   *     history.csv} exists) is re-evaluated from its weights, an interrupted one continues from
   *     its checkpoint
   * @param evaluateFrom the directory of an earlier run whose saved weights are evaluated instead
   *     of training ({@code taqtir evaluate}), or null
   */
  record Place(Path dir, boolean resume, Path evaluateFrom) {

    /**
     * The run's directory under a study run's directory.
     *
     * @param studyDir the study run's directory
     * @param label the run's label
     * @return the directory
     */
    static Path dirOf(Path studyDir, String label) {
      return studyDir.resolve("runs").resolve(StudyPipeline.safe(label));
    }
  }

  RunSummary run(Place place) {
    Student s = pipeline.createStudent(student.architecture(), data.shape());
    String described = method.describe();
    pipeline.log().accept(label + ": " + described);
    Map<String, String> params = new LinkedHashMap<>(method.params());
    params.put("seed", String.valueOf(seed));
    RunStart start =
        new RunStart(label, student.name(), s.describe(), method.name(), described, params, seed);
    pipeline.observe(o -> o.runStarted(start));
    Path dir = place.dir();
    long t0 = System.nanoTime();
    boolean finished = place.resume() && Files.isRegularFile(dir.resolve(History.FILE));
    TrainResult r;
    if (finished) {
      pipeline
          .log()
          .accept(label + ": finished before the interruption; evaluating its saved weights");
      r = evaluateSaved(s, dir);
    } else if (place.evaluateFrom() != null) {
      r = evaluateSaved(s, place.evaluateFrom());
    } else {
      if (place.resume() && Files.isRegularFile(dir.resolve(CHECKPOINT))) {
        pipeline.log().accept(label + ": resuming from its checkpoint " + dir.resolve(CHECKPOINT));
      }
      r = train(s, dir);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    if (!finished) {
      History.write(dir, r.history());
    }
    pipeline
        .log()
        .accept(
            r.ok()
                ? String.format(
                    "%s: best epoch %d, val acc %.4f%s, test acc %.4f, %.1f s",
                    label, r.bestEpoch() + 1, r.bestValAcc(), extras(r), r.testAcc(), wall)
                : label + ": " + r.error());
    double chance = 1.0 / data.shape().numClasses();
    if (r.ok() && r.bestValAcc() <= 1.5 * chance) {
      pipeline
          .log()
          .accept(
              StudyPipeline.format(
                  "%s: warning: validation accuracy %.4f never left chance level (%.2f); the loss"
                      + " is finite but training collapsed: lower the learning rate or the term"
                      + " weights",
                  label, r.bestValAcc(), chance));
    }
    RunSummary summary =
        new RunSummary(
            student.name(), s.describe(), method.name(), seed, r, wall, dir, method.labelsOnly());
    pipeline.observe(o -> o.runFinished(label, summary));
    return summary;
  }

  private TrainResult train(Student s, Path dir) {
    Study st = study.study();
    TrainingListener progress = pipeline.progress(label);
    TrainingListener recorder =
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
          public void epochEnded(TrainingRun run, EpochMetrics metrics) {
            progress.epochEnded(run, metrics);
            pipeline.observe(o -> o.epochDone(label, metrics));
          }

          @Override
          public void checkpointSaved(int epoch, Path file, double seconds) {
            progress.checkpointSaved(epoch, file, seconds);
          }
        };
    Samples train = data.transferSet(method.needsTeacher());
    TeacherSignal signal = method.needsTeacher() ? teacher.signal() : null;
    BatchRewriter rewriter = null;
    Generation generation = method.generation();
    if (generation != null) {
      if (generation.by() == Generation.By.TEACHER) {
        train =
            data.generatedTransferSet(
                generation, teacher.teacher(), st.output().dir().resolve("cache"), pipeline.log());
      } else {
        rewriter = data.onPolicy(generation, seed);
      }
      if (train == null || generation.by() == Generation.By.STUDENT && rewriter == null) {
        throw new IllegalArgumentException(
            method.name()
                + ": task "
                + st.task()
                + " cannot generate the text this method trains on");
      }
      if (signal != null) {
        // the batches are not the cached transfer set: the teacher runs on each of them
        signal =
            new TeacherSignal.Live(
                StudyPipeline.seenByStudents(
                    data.teacherForStudents(teacher.teacher()), st.teacher()));
      }
    }
    Trainer trainer =
        new Trainer(st.training(), seed, method.terms(), signal)
            .rewriter(rewriter)
            .select(Selection.of(st.evaluation().select()))
            .checkpoint(dir.resolve(CHECKPOINT))
            .listeners(
                TrainingTrace.start(MODEL_NAME, train, data.validation(), data.test()), recorder);
    try (Trainer.Fit fit = trainer.fit(s, MODEL_NAME, train, data.validator())) {
      TrainResult r = fit.result();
      if (rewriter != null) {
        pipeline
            .log()
            .accept(
                StudyPipeline.format(
                    "%s: on-policy: %d batches generated by the student in %.1f s (in the training"
                        + " time)",
                    label, rewriter.rewritten(), rewriter.seconds()));
      }
      if (fit.run().bestWeights() == null) {
        return r;
      }
      RunEvaluation e = data.evaluate(fit.model());
      fit.evaluated(e.metrics());
      fit.model().save(dir);
      return r.evaluated(e.metrics(), e.outputs());
    }
  }

  /** Evaluates saved weights instead of training: {@code taqtir evaluate} and finished runs. */
  private TrainResult evaluateSaved(Student s, Path saved) {
    List<EpochMetrics> history = History.read(saved.resolve(History.FILE));
    if (!Files.isRegularFile(saved.resolve(MODEL_NAME + "-0000.params"))) {
      return new TrainResult(
          history,
          -1,
          Double.NaN,
          Double.NaN,
          0,
          0,
          0,
          "no saved weights in " + saved + " (did the original run fail?)",
          Map.of(),
          null);
    }
    Selection select = Selection.of(study.study().evaluation().select());
    try (StudentModel model =
        StudentModel.load(s, saved, MODEL_NAME, data.train().sampleDims(), seed)) {
      RunEvaluation e = data.evaluate(model);
      double valAcc = data.validator().validate(model).accuracy();
      int best = -1;
      double trainSeconds = 0;
      for (int i = 0; i < history.size(); i++) {
        trainSeconds += history.get(i).seconds();
        if (best < 0
            || select.better(select.value(history.get(i)), select.value(history.get(best)))) {
          best = i;
        }
      }
      long trained = history.size() * (long) data.train().size();
      return new TrainResult(
          history,
          best,
          valAcc,
          e.metrics().getOrDefault("test/acc", Double.NaN),
          model.parameterCount(),
          trainSeconds,
          trainSeconds > 0 ? trained / trainSeconds : 0,
          null,
          e.metrics(),
          e.outputs());
    }
  }

  /** The selected epoch's task metrics (e.g. {@code val_bpc}) for the run's log line. */
  private static String extras(TrainResult r) {
    if (r.bestEpoch() < 0 || r.bestEpoch() >= r.history().size()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(r.history().get(r.bestEpoch()).extras())
        .forEach((k, v) -> sb.append(StudyPipeline.format(", %s %.4f", k.replace('_', ' '), v)));
    return sb.toString();
  }
}
