package org.taqtir.core.study;

import java.nio.file.Path;
import org.taqtir.core.config.Study;
import org.taqtir.core.run.RunObserver;
import org.taqtir.core.run.TeacherSummary;

/**
 * Receives a study's life cycle as it happens, e.g. to record it in a run store. Every method has
 * an empty default; an observer must not throw (the pipeline logs and ignores its failures, so a
 * broken recorder never loses a training run).
 */
public interface StudyObserver extends RunObserver {

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
   * The study's evaluation is done.
   *
   * @param result everything it produced
   */
  default void studyFinished(StudyResult result) {}

  /**
   * The study stopped with an exception after it started (after {@link #studyStarted}): the
   * observer marks what it recorded as failed, so nothing stays running. A killed process calls
   * nothing; {@code taqtir run --resume} continues it.
   *
   * @param error what stopped it
   */
  default void studyFailed(Throwable error) {}
}
