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
 * @param topK 0 for the full outputs; k &gt; 0 for a sequence task's teacher seen through its k
 *     most likely tokens per position and a tail bucket ({@code teacher.top_k}; see {@code
 *     TopKTeacher})
 * @param topKHalf whether the top-k log-probabilities (and the ids, below 2,048 tokens) are kept at
 *     float16 precision ({@code teacher.top_k_dtype: float16}): half the cache's bytes
 */
public record TeacherConfig(
    PluginRef trainArchitecture,
    TrainingConfig trainTraining,
    PluginRef load,
    TeacherOutputs outputs,
    int topK,
    boolean topKHalf) {

  /** Checks that exactly one of train and load is given. */
  public TeacherConfig {
    Objects.requireNonNull(outputs, "outputs");
    if (topK < 0) {
      throw new IllegalArgumentException("top_k must be >= 0, found " + topK);
    }
    if (topKHalf && topK == 0) {
      throw new IllegalArgumentException("top_k_dtype float16 needs top_k > 0");
    }
    if ((trainArchitecture == null) == (load == null)) {
      throw new IllegalArgumentException("a teacher needs exactly one of train and load");
    }
    if ((trainArchitecture == null) != (trainTraining == null)) {
      throw new IllegalArgumentException("a trained teacher needs both architecture and training");
    }
  }

  /**
   * A teacher with its full outputs ({@code top_k} 0).
   *
   * @param trainArchitecture see the record
   * @param trainTraining see the record
   * @param load see the record
   * @param outputs see the record
   */
  public TeacherConfig(
      PluginRef trainArchitecture,
      TrainingConfig trainTraining,
      PluginRef load,
      TeacherOutputs outputs) {
    this(trainArchitecture, trainTraining, load, outputs, 0, false);
  }

  /**
   * A teacher seen through its top-k outputs at float32 precision.
   *
   * @param trainArchitecture see the record
   * @param trainTraining see the record
   * @param load see the record
   * @param outputs see the record
   * @param topK see the record
   */
  public TeacherConfig(
      PluginRef trainArchitecture,
      TrainingConfig trainTraining,
      PluginRef load,
      TeacherOutputs outputs,
      int topK) {
    this(trainArchitecture, trainTraining, load, outputs, topK, false);
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
