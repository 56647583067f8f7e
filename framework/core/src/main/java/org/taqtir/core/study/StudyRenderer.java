package org.taqtir.core.study;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a study's results into the files a person reads: tables, charts, the Distillation Loss
 * Statement. A renderer reads only the result's data ({@link StudyResult}, {@link
 * StudyResult#report()}); it computes nothing that is not already there. One per task, found by
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.taqtir.core.study.StudyRenderer});
 * {@link StudyPipeline#render} calls those of the study's task.
 */
public interface StudyRenderer {

  /**
   * Returns the task whose results this renderer reads.
   *
   * @return a task id, e.g. {@code classification}
   */
  String task();

  /**
   * Writes the study's report files into its run directory and prints its summary.
   *
   * @param result the study's results
   * @param out receives the lines a user reads on the console (the results table, where files went)
   * @return what was written
   */
  Rendered render(StudyResult result, Consumer<String> out);

  /**
   * What a renderer wrote.
   *
   * @param files the files, to record as the study's artifacts
   * @param missedTargets one line per preservation target not met (the study then fails when it
   *     asks to)
   */
  record Rendered(List<Path> files, List<String> missedTargets) {

    /** Copies the lists. */
    public Rendered {
      files = List.copyOf(files);
      missedTargets = List.copyOf(missedTargets);
    }
  }
}
