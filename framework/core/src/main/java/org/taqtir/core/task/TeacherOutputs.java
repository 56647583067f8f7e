package org.taqtir.core.task;

import org.taqtir.core.data.Samples;

/** The teacher's logits on a split, read from the study's output cache or computed into it. */
@FunctionalInterface
public interface TeacherOutputs {

  /**
   * Returns the teacher's logits.
   *
   * @param samples the split
   * @return row-major logits, one row per sample
   */
  float[] logits(Samples samples);
}
