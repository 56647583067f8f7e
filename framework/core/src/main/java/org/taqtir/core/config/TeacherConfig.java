package org.taqtir.core.config;

import java.util.Objects;

/**
 * Where the teacher comes from: trained by the study on labels ({@code train}) or loaded ({@code
 * load}); exactly one of the two.
 *
 * @param trainArchitecture the student-provider architecture to train as the teacher, or {@code
 *     null} when the teacher is loaded
 * @param trainTraining how to train it, with missing fields taken from the study's top-level
 *     training; {@code null} when the teacher is loaded
 * @param load the teacher provider that loads it, or {@code null} when the teacher is trained
 * @param outputs how the teacher's outputs reach the students
 */
public record TeacherConfig(
    PluginRef trainArchitecture,
    TrainingConfig trainTraining,
    PluginRef load,
    TeacherOutputs outputs) {

  /** Checks that exactly one of train and load is given. */
  public TeacherConfig {
    Objects.requireNonNull(outputs, "outputs");
    if ((trainArchitecture == null) == (load == null)) {
      throw new IllegalArgumentException("a teacher needs exactly one of train and load");
    }
    if ((trainArchitecture == null) != (trainTraining == null)) {
      throw new IllegalArgumentException("a trained teacher needs both architecture and training");
    }
  }

  /**
   * Tells whether the study trains its teacher.
   *
   * @return {@code true} for {@code train}, {@code false} for {@code load}
   */
  public boolean trains() {
    return trainArchitecture != null;
  }
}
