package org.taqtir.core.train;

import java.util.Map;
import java.util.Objects;
import org.taqtir.api.Teacher;

/**
 * Where the training loop gets teacher outputs from: a cache aligned with the training split, or
 * the live teacher run on every batch.
 */
public sealed interface TeacherSignal {

  /**
   * Teacher outputs precomputed for every training sample, in training-split order.
   *
   * @param logits row-major {@code (N, classes)}
   * @param classes number of classes
   * @param features tap name to row-major {@code (N, width)} values
   */
  record Cached(float[] logits, int classes, Map<String, float[]> features)
      implements TeacherSignal {
    /** Validates and copies the map. */
    public Cached {
      Objects.requireNonNull(logits, "logits");
      features = Map.copyOf(features);
    }
  }

  /**
   * The teacher is run in inference mode on every batch (slower; needed for augmentation).
   *
   * @param teacher the frozen teacher, owned by the caller
   */
  record Live(Teacher teacher) implements TeacherSignal {}
}
