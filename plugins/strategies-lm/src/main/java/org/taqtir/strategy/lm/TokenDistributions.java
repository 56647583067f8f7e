package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.TokenAlignment;
import org.taqtir.api.TopK;

/**
 * The student's and the teacher's next-token distributions at every position of a batch, as
 * log-probabilities over the same outcomes, and which positions count.
 *
 * <p>Dense: both softmax(logits / τ) over the vocabulary, {@code (B, T, V)}. Top-k: when the
 * teacher arrives as its k most likely tokens and a tail ({@link TopK}), both are compared on k + 1
 * buckets, {@code (B, T, k + 1)}: the teacher's cached log-probabilities and tail, and the
 * student's log-probabilities gathered at the teacher's ids with the student's remaining mass as
 * its tail (a log-sum-exp over the other tokens, so a tail of 1e-9 stays finite).
 *
 * <p>Positions whose label (the next token) is negative are padding: they get weight 0 (as
 * PyTorch's {@code ignore_index} and Hugging Face's −100 labels). A teacher that reads another
 * tokenization ({@link TokenAlignment}) arrives re-scored at the student's tokens; the positions it
 * could not score get weight 0 too.
 *
 * @param student the student's log-probabilities
 * @param teacher the teacher's log-probabilities, no gradient
 * @param mask {@code (B, T)} 1 for the positions that count, 0 for padding
 * @param sorted with another tokenization, the teacher's own sorted probabilities ({@link
 *     TokenAlignment#SORTED}), else null
 * @param sortedMask where {@code sorted} is aligned, times the padding mask; null without it
 */
record TokenDistributions(
    NDArray student, NDArray teacher, NDArray mask, NDArray sorted, NDArray sortedMask) {

  /** Added to the log-probabilities of the top-k tokens to leave them out of the student's tail. */
  private static final float OUT = -1e4f;

  /**
   * Builds the distributions of one batch.
   *
   * @param student the student's outputs, logits {@code (B, T, V)}
   * @param teacher the teacher's outputs: logits {@code (B, T, V)}, or top-k targets
   * @param batch the batch, labels {@code (B, T)}
   * @param temperature τ (top-k outputs are cached at τ = 1 and need it)
   * @param scalars the run's constants
   * @param id the strategy's id, for messages
   * @return the distributions
   */
  static TokenDistributions of(
      StepOutputs student,
      StepOutputs teacher,
      BatchContext batch,
      double temperature,
      Scalars scalars,
      String id) {
    NDArray invT = scalars.of((float) (1 / temperature));
    NDArray s = student.logits();
    if (s.getShape().dimension() != 3) {
      throw new IllegalArgumentException(
          id + ": expects sequence logits (B, T, V), found " + s.getShape());
    }
    NDArray padding = batch.labels().gte(0).toType(DataType.FLOAT32, false);
    NDArray logS = temperature == 1 ? s.logSoftmax(2) : s.mul(invT).logSoftmax(2);
    Map<String, NDArray> top = teacher.features();
    NDArray mask =
        top.containsKey(TokenAlignment.MASK) ? padding.mul(top.get(TokenAlignment.MASK)) : padding;
    NDArray sorted = top.get(TokenAlignment.SORTED);
    NDArray sortedMask = sorted == null ? null : padding.mul(top.get(TokenAlignment.SORTED_MASK));
    if (sorted != null && temperature != 1) {
      throw new IllegalArgumentException(
          id
              + ": a teacher with its own tokenizer is cached at temperature 1 (data"
              + ".teacher_tokenizer); the temperature must be 1, found "
              + temperature);
    }
    if (top.containsKey(TopK.IDS)) {
      if (temperature != 1) {
        throw new IllegalArgumentException(
            id
                + ": the teacher's top-k outputs are cached at temperature 1; with teacher.top_k"
                + " the temperature must be 1, found "
                + temperature);
      }
      NDArray ids = top.get(TopK.IDS).toType(DataType.INT64, false);
      NDArray gathered = logS.gather(ids, 2);
      NDArray inTop = ids.oneHot((int) s.getShape().get(2)).sum(new int[] {2});
      NDArray rest = logS.add(inTop.mul(scalars.of(OUT)));
      NDArray tailS = logSumExp(rest, 2).expandDims(2);
      NDArray studentBuckets = gathered.concat(tailS, 2);
      NDArray teacherBuckets = top.get(TopK.LOG_PROBS).concat(top.get(TopK.TAIL).expandDims(2), 2);
      return new TokenDistributions(studentBuckets, teacherBuckets, mask, sorted, sortedMask);
    }
    NDArray t = teacher.logits();
    NDArray logT = temperature == 1 ? t.logSoftmax(2) : t.mul(invT).logSoftmax(2);
    return new TokenDistributions(logS, logT, mask, sorted, sortedMask);
  }

  /**
   * The same distributions counted at other positions.
   *
   * @param other {@code (B, T)} weights
   * @return a copy with that mask
   */
  TokenDistributions counting(NDArray other) {
    return new TokenDistributions(student, teacher, other, sorted, sortedMask);
  }

  /**
   * log Σ exp(x) along an axis, shifted by the (gradient-free) maximum: exact, and its gradient is
   * softmax(x), since the shift cancels.
   *
   * @param x the values
   * @param axis the axis to sum over (removed)
   * @return the log-sum-exp
   */
  static NDArray logSumExp(NDArray x, int axis) {
    NDArray m = x.max(new int[] {axis}, true).stopGradient();
    return x.sub(m).exp().sum(new int[] {axis}, true).log().add(m).squeeze(axis);
  }

  /**
   * log(wa·exp(a) + wb·exp(b)) element-wise, for log-probabilities a and b and weights given as
   * their logarithms: the log of a mixture of two distributions, finite even where both
   * probabilities underflow.
   *
   * @param a log-probabilities
   * @param logWa log of a's weight (a scalar array)
   * @param b log-probabilities
   * @param logWb log of b's weight
   * @return the mixture's log-probabilities
   */
  static NDArray logMix(NDArray a, NDArray logWa, NDArray b, NDArray logWb) {
    NDArray x = a.add(logWa);
    NDArray y = b.add(logWb);
    NDArray m = x.maximum(y).stopGradient();
    return x.sub(m).exp().add(y.sub(m).exp()).log().add(m);
  }

  /**
   * The mean over the counted positions of a per-position value.
   *
   * @param perPosition {@code (B, T)}
   * @param scalars the run's scalars
   * @return a scalar: Σ value·mask / max(1, Σ mask)
   */
  NDArray mean(NDArray perPosition, Scalars scalars) {
    NDArray count = mask.sum().maximum(scalars.of(1f));
    return perPosition.mul(mask).sum().div(count);
  }
}
