package org.taqtir.core.task;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.Generation;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Teacher;
import org.taqtir.api.TrainingData;
import org.taqtir.core.data.Samples;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.run.RunObserver;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.train.BatchRewriter;
import org.taqtir.core.train.StudentModel;
import org.taqtir.core.train.Validator;

/**
 * A study's data as its task loaded it, and the task's evaluation of models on it. The study
 * pipeline trains on {@link #train()} and validates with {@link #validator()}; everything it
 * measures beyond the loop's own metrics it asks this object for.
 */
public interface TaskData {

  /**
   * Returns a content hash of the splits; it keys the teacher's directory and output cache.
   *
   * @return hex SHA-256
   */
  String hash();

  /**
   * Returns the shape models are built for.
   *
   * @return one sample's input shape and the number of output classes (or the vocabulary size)
   */
  ModelShape shape();

  /**
   * Returns what a teacher the study trains learns from: the whole training split.
   *
   * @return the training split
   */
  Samples teacherTrain();

  /**
   * Returns what the students learn from (the transfer set): the training split, or a part of it
   * (an omitted-class probe).
   *
   * @return the transfer set, whose teacher outputs are cached
   */
  Samples train();

  /**
   * Returns the split that selects each run's epoch.
   *
   * @return the validation split
   */
  Samples validation();

  /**
   * Returns the held-out split, read once per run for its selected weights.
   *
   * @return the test split
   */
  Samples test();

  /**
   * Returns the sets whose teacher outputs the task's evaluation reads, besides the transfer set
   * the students learn from, in the order they are looked up: the study caches them all (a
   * distributed precompute fills the cache with the same plan).
   *
   * @return name to split, e.g. {@code validation}, {@code test}, {@code shifted/gaussian-noise-1}
   */
  Map<String, Samples> teacherSets();

  /**
   * Returns how a model is scored on the validation split after every epoch.
   *
   * @return the validator
   */
  Validator validator();

  /**
   * Scores the teacher.
   *
   * @param teacher the frozen teacher
   * @param outputs its cached logits on a split
   * @param log receives one-line status messages
   * @return what was measured; {@link TeacherEvaluation#predictions()} only when the study's loss
   *     statement needs them
   */
  TeacherEvaluation evaluateTeacher(Teacher teacher, TeacherOutputs outputs, Consumer<String> log);

  /**
   * Scores a student's selected weights (test split, and what the study's evaluation needs).
   *
   * @param model the student, in inference mode
   * @return the test metrics and the predictions
   */
  RunEvaluation evaluate(StudentModel model);

  /**
   * Evaluates what the students lost against the teacher and their label-only twins.
   *
   * @param runs every student run of the study
   * @param teacher the teacher's evaluation
   * @param log receives one-line status messages
   * @return the report, or {@code null} when the study has none (no statement, no teacher)
   */
  StudyReport evaluateStudy(List<RunSummary> runs, TeacherEvaluation teacher, Consumer<String> log);

  /**
   * Tells whether the task's evaluation reads the teacher even when no method does (to show the
   * students' gap to it): the study then makes its teacher ready whatever its methods.
   *
   * @return {@code false} by default: the teacher is made ready only when a method or a student
   *     needs it
   */
  default boolean evaluatesTeacher() {
    return false;
  }

  /**
   * Tells the task that the teacher looks its outputs up by sample row, so it cannot see inputs
   * that are not in the data files (e.g. corrupted copies, which the task then skips).
   *
   * @param teacherId the teacher plugin's id
   * @param log receives one-line status messages
   */
  default void teacherIsIndexed(String teacherId, Consumer<String> log) {}

  /**
   * Returns the training split as plain arrays, for teachers and students fitted by their own
   * learner (Tribuo).
   *
   * @return the arrays, or {@code null} when the task has none
   */
  default TrainingData trainingData() {
    return null;
  }

  /**
   * Returns how many rows an original data file holds.
   *
   * @param source {@link org.taqtir.api.SampleRefs#TRAIN} or {@link org.taqtir.api.SampleRefs#TEST}
   * @return the count, or -1 when unknown
   */
  default int sourceSize(String source) {
    return -1;
  }

  /**
   * Fits a student that its own learner trains ({@link ClassicalStudent}), once from the labels and
   * once from the teacher, for one seed.
   *
   * @param student the student
   * @param name its name in the study
   * @param teacherLogits the teacher's logits on {@link #train()}
   * @param teacherOn the teacher's logits on new rows (synthetic transfer samples)
   * @param seed the seed
   * @param runsDir where each run's files go
   * @param observer records the runs
   * @param log receives one-line status messages
   * @return the two runs
   * @throws UnsupportedOperationException when the task has no such students
   */
  default List<RunSummary> fitClassical(
      ClassicalStudent student,
      String name,
      float[] teacherLogits,
      UnaryOperator<float[]> teacherOn,
      long seed,
      Path runsDir,
      RunObserver observer,
      Consumer<String> log) {
    throw new UnsupportedOperationException(
        "students fitted by their own learner ("
            + student.describe()
            + ") need a classification"
            + " study");
  }

  /**
   * The teacher's input and output shape: the students' unless the teacher reads another encoding
   * of the data (a language model with its own tokenizer).
   *
   * @return the shape the teacher is built and loaded for
   */
  default ModelShape teacherShape() {
    return shape();
  }

  /**
   * Validates the teacher during its training: {@link #validator()} unless the teacher reads
   * another encoding of the data.
   *
   * @return the teacher's validator
   */
  default Validator teacherValidator() {
    return validator();
  }

  /**
   * The teacher as the students' strategies see it: itself, unless the task must translate its
   * outputs to the students' outputs (a language model with its own tokenizer, re-scored at the
   * students' tokens). Its outputs are what the teacher-output cache keeps for the transfer set.
   *
   * @param teacher the teacher, in inference mode
   * @return the view; closing it does not close the teacher
   */
  default Teacher teacherForStudents(Teacher teacher) {
    return teacher;
  }

  /**
   * The split one method trains on: {@link #train()} unless only some training samples are
   * labelled, when a method that reads the teacher learns from every sample and a label-only method
   * from the labelled ones (classification's {@code data.labelled}).
   *
   * @param readsTeacher whether a term of the method reads the teacher
   * @return the split; its rows line up with {@link #train()} when {@code readsTeacher}, since the
   *     teacher's cached outputs are looked up by row
   */
  default Samples transferSet(boolean readsTeacher) {
    return train();
  }

  /**
   * The training windows of a method that trains on text its teacher generates (sequence-level KD:
   * a term whose provider declares {@link Generation.By#TEACHER}); tasks that cannot generate keep
   * the default, and such a study is refused.
   *
   * @param generation how the text is made
   * @param teacher the teacher, in inference mode
   * @param cacheDir where generated sets are kept, keyed by teacher, prompts, decoding and seed
   * @param log receives one-line status messages (the generation's time among them)
   * @return the transfer set, or null when this task cannot generate text
   */
  default Samples generatedTransferSet(
      Generation generation, Teacher teacher, Path cacheDir, Consumer<String> log) {
    return null;
  }

  /**
   * Rewrites a share of a method's batches with the student's own generations (on-policy KD: a term
   * whose provider declares {@link Generation.By#STUDENT}).
   *
   * @param generation how the text is made
   * @param seed the run's seed
   * @return the rewriter, or null when this task cannot generate text
   */
  default BatchRewriter onPolicy(Generation generation, long seed) {
    return null;
  }
}
