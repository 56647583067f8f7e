package org.taqtir.core.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.api.TopK;

/**
 * A teacher seen through its k most likely tokens at every position ({@code teacher.top_k}): its
 * outputs carry the three {@link TopK} taps (ids, log-probabilities, the tail's log-probability),
 * and its logits are the dense reconstruction that spreads the tail evenly over the other V − k
 * tokens. The teacher-output cache stores only the taps, k·8 + 4 bytes per position instead of V·4:
 * 30× less for a 512-token vocabulary at k = 8.
 *
 * <p>Strategies that know {@link TopK} compare the student with it on k + 1 buckets; any other
 * strategy sees the reconstruction. The ids travel as float32 (exact below 2²⁴ tokens), as every
 * cached output does.
 */
public final class TopKTeacher implements Teacher {

  /** The three taps, in the order they are stored. */
  public static final List<String> TAPS = TopK.TAPS;

  private final Teacher inner;
  private final int k;
  private final boolean half;

  /**
   * Wraps a teacher.
   *
   * @param inner the teacher, whose logits are {@code (B, T, V)} with V &gt; k
   * @param k tokens kept per position, at least 1
   */
  public TopKTeacher(Teacher inner, int k) {
    this(inner, k, false);
  }

  /**
   * Wraps a teacher, optionally at half precision ({@code teacher.top_k_dtype: float16}): the
   * log-probabilities and the tail are rounded to float16 values (every consumer sees the same
   * rounded values, whether they come from the cache or from the teacher per batch), so the cache
   * can keep them in 2 bytes; so can the ids, exact in float16 below 2,048 tokens.
   *
   * @param inner the teacher
   * @param k tokens kept per position
   * @param half whether the values are rounded to float16
   */
  public TopKTeacher(Teacher inner, int k, boolean half) {
    if (k < 1) {
      throw new IllegalArgumentException("teacher.top_k must be >= 1, found " + k);
    }
    this.inner = inner;
    this.k = k;
    this.half = half;
  }

  /**
   * The taps the cache may keep at half precision.
   *
   * @param vocabulary V
   * @return the log-probabilities and the tail, and the ids when V &le; 2,048; empty at float32
   */
  public java.util.Set<String> halfTaps(long vocabulary) {
    if (!half) {
      return java.util.Set.of();
    }
    return vocabulary <= 2048
        ? java.util.Set.of(TopK.IDS, TopK.LOG_PROBS, TopK.TAIL)
        : java.util.Set.of(TopK.LOG_PROBS, TopK.TAIL);
  }

  /**
   * Returns k.
   *
   * @return tokens kept per position
   */
  public int k() {
    return k;
  }

  @Override
  public StepOutputs forward(NDArray input, Set<String> taps) {
    return withTopK(inner.forward(input, own(taps)));
  }

  @Override
  public StepOutputs forward(NDArray input, SampleRefs samples, Set<String> taps) {
    return withTopK(inner.forward(input, samples, own(taps)));
  }

  private static Set<String> own(Set<String> taps) {
    Set<String> own = new HashSet<>(taps);
    own.removeAll(TAPS);
    return own;
  }

  private StepOutputs withTopK(StepOutputs o) {
    NDArray logits = o.logits();
    if (logits.getShape().dimension() != 3 || logits.getShape().get(2) <= k) {
      throw new IllegalArgumentException(
          "teacher.top_k "
              + k
              + " needs sequence logits (B, T, V) with V > "
              + k
              + ", found "
              + logits.getShape());
    }
    Map<String, NDArray> top = TopK.of(logits, k);
    Map<String, NDArray> features = new LinkedHashMap<>(o.features());
    for (String tap : TAPS) {
      NDArray v = top.get(tap);
      if (tap.equals(TopK.IDS)) {
        v = v.toType(DataType.FLOAT32, false);
      } else if (half) {
        v = v.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false);
      }
      features.put(tap, v);
    }
    NDArray dense =
        TopK.reconstruct(
            top.get(TopK.IDS),
            features.get(TopK.LOG_PROBS),
            features.get(TopK.TAIL),
            logits.getShape().get(2));
    return new StepOutputs(dense, features);
  }

  /**
   * The bytes per position the cache keeps for a top-k teacher.
   *
   * @param k tokens kept
   * @return k ids and k log-probabilities (float32 each) and the tail
   */
  public static long bytesPerPosition(int k) {
    return (2L * k + 1) * Float.BYTES;
  }

  /**
   * The bytes per position the cache keeps for a top-k teacher at half precision.
   *
   * @param k tokens kept
   * @param vocabulary V (ids stay float32 above 2,048 tokens)
   * @return the file's bytes per position
   */
  public static long bytesPerPositionHalf(int k, long vocabulary) {
    return (k + 1L) * Short.BYTES + (long) k * (vocabulary <= 2048 ? Short.BYTES : Float.BYTES);
  }

  @Override
  public boolean indexed() {
    return inner.indexed();
  }

  @Override
  public List<String> taps() {
    List<String> all = new ArrayList<>(inner.taps());
    all.addAll(TAPS);
    return all;
  }

  @Override
  public String fingerprint() {
    return inner.fingerprint() + ";top-k=" + k + (half ? ";float16" : "");
  }

  @Override
  public String describe() {
    return inner.describe() + ", top-" + k + " outputs" + (half ? " (float16)" : "");
  }

  @Override
  public long parameterCount() {
    return inner.parameterCount();
  }

  @Override
  public void close() {
    inner.close();
  }
}
