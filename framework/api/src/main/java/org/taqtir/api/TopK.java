package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The taps under which a sparse teacher reaches a strategy, in {@link StepOutputs#features()} of
 * the teacher's outputs, when a study keeps only the teacher's {@code k} most likely tokens per
 * position ({@code teacher.top_k}): the ids of those tokens, their log-probabilities, and the
 * log-probability of all other tokens together (the tail bucket). The teacher's logits beside them
 * are the dense reconstruction that spreads the tail evenly over the other tokens.
 *
 * <p>A strategy that reads these compares the student with the teacher on k + 1 buckets: the
 * student's log-probabilities gathered at {@link #IDS}, and its remaining mass as the tail.
 */
public final class TopK {

  /**
   * {@code (B, T, k)}: the token ids of the k largest teacher probabilities, descending; float32
   * (exact below 2²⁴ tokens, as every cached output is float32): convert before indexing.
   */
  public static final String IDS = "top-k:ids";

  /** {@code (B, T, k)} float32: the teacher's log-probabilities of those tokens. */
  public static final String LOG_PROBS = "top-k:log-probs";

  /** {@code (B, T)} float32: log(1 − Σ of the k probabilities), the tail bucket. */
  public static final String TAIL = "top-k:tail";

  /** The three names, in the order the teacher-output cache stores them. */
  public static final List<String> TAPS = List.of(IDS, LOG_PROBS, TAIL);

  /** Added to the top-k log-probabilities to leave them out of the tail's log-sum-exp. */
  private static final float OUT = -1e4f;

  private TopK() {}

  /**
   * The top-k of a distribution at every position.
   *
   * @param logits {@code (B, T, V)}
   * @param k tokens kept
   * @return {@link #IDS} {@code (B, T, k)} int64, descending probability; {@link #LOG_PROBS} {@code
   *     (B, T, k)}; {@link #TAIL} {@code (B, T)}, log(1 − Σ top-k) computed as a log-sum-exp over
   *     the other tokens
   */
  public static Map<String, NDArray> of(NDArray logits, int k) {
    NDArray logp = logits.logSoftmax(2);
    NDList top = logp.topK(k, 2, true, true);
    NDArray ids = top.get(1).toType(DataType.INT64, false);
    NDManager m = logits.getManager();
    NDArray inTop = ids.oneHot((int) logits.getShape().get(2)).sum(new int[] {2});
    NDArray rest = logp.add(inTop.mul(m.create(OUT)));
    NDArray max = rest.max(new int[] {2}, true);
    NDArray tail = rest.sub(max).exp().sum(new int[] {2}, true).log().add(max).squeeze(2);
    Map<String, NDArray> out = new LinkedHashMap<>();
    out.put(IDS, ids);
    out.put(LOG_PROBS, top.get(0));
    out.put(TAIL, tail);
    return out;
  }

  /**
   * The dense log-probabilities a top-k teacher stands for: its k log-probabilities at their ids,
   * and the tail spread evenly over the other V − k tokens, log(tail) − log(V − k).
   *
   * @param ids {@code (B, T, k)}, any numeric type
   * @param logProbs {@code (B, T, k)}
   * @param tail {@code (B, T)}
   * @param vocabulary V
   * @return {@code (B, T, V)} log-probabilities (usable as logits: their softmax is the same)
   */
  public static NDArray reconstruct(NDArray ids, NDArray logProbs, NDArray tail, long vocabulary) {
    NDManager m = logProbs.getManager();
    long kept = ids.getShape().get(2);
    NDArray oneHot = ids.toType(DataType.INT64, false).oneHot((int) vocabulary); // (B, T, k, V)
    NDArray inTop = oneHot.sum(new int[] {2});
    NDArray spread =
        tail.sub(m.create((float) Math.log(vocabulary - kept))).expandDims(2); // (B, T, 1)
    NDArray top = oneHot.mul(logProbs.expandDims(3)).sum(new int[] {2});
    return top.add(m.create(1f).sub(inTop).mul(spread));
  }
}
