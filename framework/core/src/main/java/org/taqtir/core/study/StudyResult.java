package org.taqtir.core.study;

import java.nio.file.Path;
import java.util.List;
import org.taqtir.core.config.Study;
import org.taqtir.core.eval.loss.LossReport;

/**
 * Everything a study run produced.
 *
 * @param study the resolved study
 * @param outputDir the directory of this study run (never reused: earlier results stay)
 * @param teacher the teacher, {@code null} when no method needed one
 * @param runs one entry per student × method × seed, in execution order
 * @param dataHash content hash of the data splits
 * @param teacherPredictions the teacher's outputs for the loss evaluation, {@code null} when the
 *     study has no teacher or no loss statement
 * @param loss the "what did we lose" evaluation, {@code null} when not computed
 */
public record StudyResult(
    Study study,
    Path outputDir,
    TeacherSummary teacher,
    List<RunSummary> runs,
    String dataHash,
    TeacherPredictions teacherPredictions,
    LossReport loss) {

  /** Copies the runs. */
  public StudyResult {
    runs = List.copyOf(runs);
  }
}
