package org.taqtir.core.config;

import java.util.Arrays;
import java.util.Optional;

/** How a study obtains the teacher's outputs during distillation. */
public enum TeacherOutputs {
  /** Computed once per training sample and cached on disk; the student reads the cache. */
  CACHED("cached"),
  /** Computed by running the teacher on every batch (needed for augmentation, slower). */
  PER_BATCH("per-batch");

  private final String key;

  TeacherOutputs(String key) {
    this.key = key;
  }

  /**
   * Returns the value written in study files.
   *
   * @return {@code "cached"} or {@code "per-batch"}
   */
  public String key() {
    return key;
  }

  /**
   * Finds the constant for a study-file value.
   *
   * @param key the value as written
   * @return the constant, or empty when none matches
   */
  public static Optional<TeacherOutputs> fromKey(String key) {
    return Arrays.stream(values()).filter(v -> v.key.equals(key)).findFirst();
  }
}
