package org.taqtir.core.train;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
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
   * @param logits row-major {@code (N, classes)}, or {@code (N, T, vocabulary)} for a sequence task
   *     (see {@link #logitShape})
   * @param classes number of classes (the vocabulary size for a sequence task)
   * @param features tap name to row-major {@code (N, width)} float32 values, little-endian; every
   *     run uses a direct buffer in place as its native array (no copy: a wide tap is hundreds of
   *     MB), so the buffers must not change while a run trains
   * @param shapes tap name to per-sample shape (e.g. {@code (C, H, W)}); a tap missing here is
   *     flat, {@code (width)}; the logits' per-sample shape under {@value #LOGITS} when it is not
   *     {@code (classes)}
   */
  record Cached(
      float[] logits, int classes, Map<String, ByteBuffer> features, Map<String, Shape> shapes)
      implements TeacherSignal {
    /** Validates and copies the maps. */
    public Cached {
      Objects.requireNonNull(logits, "logits");
      features = Map.copyOf(features);
      shapes = Map.copyOf(shapes);
    }

    /**
     * Cached outputs whose taps are all flat {@code (N, width)}.
     *
     * @param logits row-major {@code (N, classes)}
     * @param classes number of classes
     * @param features tap name to row-major {@code (N, width)} float32 values, little-endian
     */
    public Cached(float[] logits, int classes, Map<String, ByteBuffer> features) {
      this(logits, classes, features, Map.of());
    }

    /** The key of the logits' per-sample shape in {@link #shapes}. */
    public static final String LOGITS = "logits";

    /**
     * Returns the logits' per-sample shape.
     *
     * @return {@code (classes)}, or e.g. {@code (T, vocabulary)} when recorded
     */
    public Shape logitShape() {
      Shape s = shapes.get(LOGITS);
      return s != null ? s : new Shape(classes);
    }

    /**
     * Returns a tap's per-sample shape.
     *
     * @param tap the tap name, a key of {@link #features()}
     * @param n the number of samples
     * @return the recorded shape, or {@code (width)} when none was recorded
     */
    public Shape shape(String tap, int n) {
      Shape s = shapes.get(tap);
      return s != null ? s : new Shape(features.get(tap).capacity() / Float.BYTES / n);
    }
  }

  /**
   * The teacher is run in inference mode on every batch (slower; needed for augmentation).
   *
   * @param teacher the frozen teacher, owned by the caller
   */
  record Live(Teacher teacher) implements TeacherSignal {}
}
