package org.taqtir.core.study;

import java.nio.file.Path;
import org.taqtir.core.config.Study;
import org.taqtir.core.train.EpochMetrics;

/**
 * Receives a study's life cycle as it happens, e.g. to record it in a run store. Every method has
 * an empty default; an observer must not throw (the runner logs and ignores its failures, so a
 * broken recorder never loses a training run).
 */
public interface StudyObserver {

  /** An observer that records nothing. */
  StudyObserver NONE = new StudyObserver() {};

  /**
   * The study starts.
   *
   * @param study the resolved study
   * @param outputDir its run directory
   * @param dataHash content hash of the data splits
   */
  default void studyStarted(Study study, Path outputDir, String dataHash) {}

  /**
   * The teacher is ready (trained, reused or loaded) and its outputs are cached.
   *
   * @param teacher the teacher summary
   */
  default void teacherReady(TeacherSummary teacher) {}

  /**
   * One student run starts.
   *
   * @param label {@code student/method/seedN}
   * @param student the student's name
   * @param architecture its architecture description
   * @param method the method's name
   * @param terms the weighted terms as text
   * @param seed the seed
   */
  default void runStarted(
      String label, String student, String architecture, String method, String terms, long seed) {}

  /**
   * An epoch of a run finished.
   *
   * @param label the run's label
   * @param metrics the epoch's metrics
   */
  default void epochDone(String label, EpochMetrics metrics) {}

  /**
   * A run finished (or stopped, see {@link RunSummary#result()}).
   *
   * @param label the run's label
   * @param run the run's summary
   */
  default void runFinished(String label, RunSummary run) {}

  /**
   * The study finished.
   *
   * @param result everything it produced
   */
  default void studyFinished(StudyResult result) {}
}
