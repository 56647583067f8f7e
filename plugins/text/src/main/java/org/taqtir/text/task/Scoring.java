package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.function.Function;

/**
 * Next-token scores of a model on a split, computed chunk by chunk in inference mode (a split's
 * logits, {@code windows × T × V} floats, are never held at once): cross-entropy per token in nats,
 * top-1 accuracy per token, and bits per character (cross-entropy in bits per token divided by the
 * split's characters per token, so tokenizers compare fairly).
 */
public final class Scoring {

  /** Windows per forward pass. */
  static final int CHUNK = 64;

  private Scoring() {}

  /**
   * A split's scores.
   *
   * @param loss mean cross-entropy per predicted token, nats
   * @param accuracy top-1 accuracy per predicted token
   * @param bitsPerChar bits per character
   * @param tokens predicted tokens
   */
  public record Scores(double loss, double accuracy, double bitsPerChar, long tokens) {

    /**
     * Formats the scores for a log line.
     *
     * @return e.g. {@code 2.134 bits/char, loss 1.480, acc 0.551}
     */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%.3f bits/char, loss %.3f, acc %.3f", bitsPerChar, loss, accuracy);
    }
  }

  /**
   * Scores a model on a split.
   *
   * @param forward the model in inference mode: ids {@code (B, T)} to logits {@code (B, T, V)},
   *     attached to the ids' manager
   * @param split the split
   * @param manager a manager for the chunks (each chunk's arrays are freed before the next)
   * @return the scores; NaN when the split has no window
   */
  public static Scores score(
      Function<NDArray, NDArray> forward, TokenWindows split, NDManager manager) {
    int n = split.size();
    int t = split.window();
    int[] targets = split.targets();
    double nll = 0;
    long right = 0;
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      try (NDManager m = manager.newSubManager()) {
        NDArray x = split.inputs(m, from, to);
        NDArray logits = forward.apply(x);
        logits.attach(m);
        int[] y = new int[(to - from) * t];
        System.arraycopy(targets, from * t, y, 0, y.length);
        NDArray target =
            m.create(y, new ai.djl.ndarray.types.Shape(to - from, t, 1))
                .toType(DataType.INT64, false);
        float[] logp = logits.logSoftmax(-1).gather(target, 2).toFloatArray();
        for (float v : logp) {
          nll -= v;
        }
        int[] argmax = logits.argMax(-1).toType(DataType.INT32, false).toIntArray();
        for (int i = 0; i < argmax.length; i++) {
          right += argmax[i] == y[i] ? 1 : 0;
        }
      }
    }
    return scores(nll, right, split);
  }

  /**
   * A split's scores from its summed negative log-likelihood and its count of right predictions
   * over all of its positions.
   *
   * @param nll Σ −log p(next token), nats
   * @param right positions whose most likely token is the next token
   * @param split the split
   * @return the scores; NaN when the split has no window
   */
  static Scores scores(double nll, long right, TokenWindows split) {
    long tokens = (long) split.size() * split.window();
    if (tokens == 0) {
      return new Scores(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double loss = nll / tokens;
    return new Scores(
        loss, (double) right / tokens, loss / Math.log(2) / split.charsPerToken(), tokens);
  }

  /**
   * Each sequence's log-probability under a causal model: the sum of ln p(token j | tokens before
   * it) over {@code j} from {@code from} to its end, in float64, chunk by chunk. Every input row is
   * a sequence without its last token, padded with id 0 to {@code length} tokens; the model is
   * causal, so the padding after a sequence does not change its positions.
   *
   * @param model the model (logits for a batch of rows)
   * @param sequences token ids, each at most {@code length + 1} long
   * @param from the first position scored, at least 1
   * @param length the rows' length, at most the model's context
   * @param manager a manager for the chunks
   * @return per sequence, the sum of the log-probabilities of its scored tokens (nats)
   */
  static double[] sequenceLogProbs(
      Function<NDArray, NDArray> model,
      int[][] sequences,
      int from,
      int length,
      NDManager manager) {
    double[] out = new double[sequences.length];
    for (int lo = 0; lo < sequences.length; lo += CHUNK) {
      int hi = Math.min(sequences.length, lo + CHUNK);
      int n = hi - lo;
      int[] x = new int[n * length];
      int[] y = new int[n * length];
      for (int i = 0; i < n; i++) {
        int[] s = sequences[lo + i];
        System.arraycopy(s, 0, x, i * length, s.length - 1);
        System.arraycopy(s, 1, y, i * length, s.length - 1);
      }
      try (NDManager m = manager.newSubManager()) {
        NDArray logits = model.apply(m.create(x, new Shape(n, length)));
        logits.attach(m);
        float[] logp =
            logits
                .toType(DataType.FLOAT32, false)
                .logSoftmax(-1)
                .gather(m.create(y, new Shape(n, length, 1)).toType(DataType.INT64, false), 2)
                .toFloatArray();
        for (int i = 0; i < n; i++) {
          double sum = 0;
          // position p predicts token p + 1
          for (int p = from - 1; p < sequences[lo + i].length - 1; p++) {
            sum += logp[i * length + p];
          }
          out[lo + i] = sum;
        }
      }
    }
    return out;
  }
}
