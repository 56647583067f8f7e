package org.taqtir.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A resolved study: what to train, with what, how often and where results go. Every default is
 * filled in and every plugin parameter validated; build one with {@code StudyParser}.
 *
 * @param file the study file, or {@code null} when parsed from text without one
 * @param name the study's id, {@code [a-z0-9_-]+}
 * @param description free text, empty when none
 * @param task the task's id ({@code classification} unless the file names another)
 * @param data the data set and its split, as the task read them (for classification, {@link
 *     DataConfig})
 * @param teacher where the teacher comes from
 * @param students the architectures to distil into, at least one, names unique
 * @param strategies the methods every student is trained with, at least one, names unique
 * @param training how students are trained
 * @param seeds the seeds every (student, method) pair is trained with, at least one, distinct
 * @param evaluation how models are selected and evaluated, as the task read it (for classification,
 *     {@link EvaluationConfig})
 * @param output where results go
 */
public record Study(
    Path file,
    String name,
    String description,
    String task,
    DataSpec data,
    TeacherConfig teacher,
    List<StudentConfig> students,
    List<MethodConfig> strategies,
    TrainingConfig training,
    List<Long> seeds,
    EvaluationSpec evaluation,
    OutputConfig output) {

  /** Copies the lists and checks that everything but the file is given. */
  public Study {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(teacher, "teacher");
    students = List.copyOf(students);
    strategies = List.copyOf(strategies);
    Objects.requireNonNull(training, "training");
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(evaluation, "evaluation");
    Objects.requireNonNull(output, "output");
  }

  /**
   * Writes the resolved study as YAML: every default and every plugin parameter explicit, paths as
   * resolved. Parsing the text again (against the same file) gives an equal study.
   *
   * @return the YAML text
   */
  public String toYaml() {
    return StudyWriter.toYaml(this);
  }
}
