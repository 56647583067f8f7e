package org.taqtir.core.study;

import java.nio.file.Path;
import java.util.List;
import org.taqtir.core.config.Study;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.eval.RunOutputs;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.eval.loss.LossReport;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TeacherSummary;

/**
 * Everything a study run produced.
 *
 * @param study the resolved study
 * @param outputDir the directory of this study run (never reused: earlier results stay)
 * @param teacher the teacher, {@code null} when no method needed one
 * @param runs one entry per student × method × seed, in execution order
 * @param dataHash content hash of the data splits
 * @param teacherOutputs the teacher's predictions for the study's evaluation, {@code null} when the
 *     study has no teacher or no loss statement
 * @param report the task's "what did we lose" evaluation, {@code null} when not computed
 */
public record StudyResult(
    Study study,
    Path outputDir,
    TeacherSummary teacher,
    List<RunSummary> runs,
    String dataHash,
    RunOutputs teacherOutputs,
    StudyReport report) {

  /** Copies the runs. */
  public StudyResult {
    runs = List.copyOf(runs);
  }

  /**
   * Returns the teacher's predictions of a classification study.
   *
   * @return its logits on every evaluation split and its latencies, or {@code null}
   */
  public ModelOutputs teacherPredictions() {
    return teacherOutputs instanceof ModelOutputs m ? m : null;
  }

  /**
   * Returns the "what did we lose" evaluation of a classification study.
   *
   * @return the report, or {@code null}
   */
  public LossReport loss() {
    return report instanceof LossReport r ? r : null;
  }
}
