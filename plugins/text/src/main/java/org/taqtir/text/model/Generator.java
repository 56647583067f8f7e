package org.taqtir.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Generates text from a causal language model, in Java: DJL's PyTorch engine implements no
 * multinomial sampling, and drawing from a seeded {@link SplittableRandom} makes a generation
 * repeatable bit for bit. Prompts of one length run as one batch; each step runs the model on the
 * last {@code context} tokens (no key/value cache) and samples the next token of every prompt.
 *
 * @param forward the model in inference mode: ids {@code (B, t)} to logits {@code (B, t, V)},
 *     attached to the ids' manager
 * @param context the model's window: at most this many tokens are fed back
 */
public record Generator(Function<NDArray, NDArray> forward, int context) {

  /**
   * How the next token is chosen.
   *
   * @param temperature divides the logits; 0 means greedy (the most likely token)
   * @param topK keep only the k most likely tokens, 0 for all
   * @param topP keep the smallest set of most likely tokens whose probability reaches p, 1 for all
   * @param seed the sampling seed (row {@code i} of a batch draws from its own stream)
   */
  public record Decoding(double temperature, int topK, double topP, long seed) {

    /** The most likely token every step. */
    public static final Decoding GREEDY = new Decoding(0, 0, 1, 0);

    /**
     * Sampling at a temperature.
     *
     * @param temperature the temperature, &gt; 0
     * @param seed the seed
     * @return the decoding
     */
    public static Decoding sample(double temperature, long seed) {
      return new Decoding(temperature, 0, 1, seed);
    }
  }

  /**
   * What a generation produced.
   *
   * @param tokens per prompt, the generated tokens (prompt excluded)
   * @param seconds wall time
   * @param tokensPerSecond generated tokens (all prompts) per second
   */
  public record Generated(int[][] tokens, double seconds, double tokensPerSecond) {}

  /**
   * Continues prompts of one length.
   *
   * @param prompts token ids, every row the same length, at least 1
   * @param steps tokens to generate per prompt
   * @param decoding how each token is chosen
   * @param manager parent of the per-step managers
   * @return the continuations
   */
  public Generated generate(int[][] prompts, int steps, Decoding decoding, NDManager manager) {
    int b = prompts.length;
    int len = prompts[0].length;
    for (int[] p : prompts) {
      if (p.length != len || len == 0) {
        throw new IllegalArgumentException("prompts of one batch must share one length > 0");
      }
    }
    int[][] seq = new int[b][];
    for (int i = 0; i < b; i++) {
      seq[i] = Arrays.copyOf(prompts[i], len + steps);
    }
    SplittableRandom[] random = new SplittableRandom[b];
    for (int i = 0; i < b; i++) {
      random[i] = new SplittableRandom(decoding.seed() * 1_000_003L + i);
    }
    long start = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      int end = len + s;
      int from = Math.max(0, end - context);
      int t = end - from;
      int[] ids = new int[b * t];
      for (int i = 0; i < b; i++) {
        System.arraycopy(seq[i], from, ids, i * t, t);
      }
      try (NDManager m = manager.newSubManager()) {
        NDArray x = m.create(ids, new Shape(b, t));
        NDArray logits = forward.apply(x);
        logits.attach(m);
        float[] last = logits.get(new NDIndex(":, -1, :")).toFloatArray();
        int v = last.length / b;
        for (int i = 0; i < b; i++) {
          seq[i][end] = choose(last, i * v, v, decoding, random[i]);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int[][] out = new int[b][];
    for (int i = 0; i < b; i++) {
      out[i] = Arrays.copyOfRange(seq[i], len, len + steps);
    }
    return new Generated(out, seconds, seconds > 0 ? (double) b * steps / seconds : 0);
  }

  /**
   * Continues prompts of one length by beam search: per prompt, the {@code width} most likely
   * continuations so far (sum of the tokens' log-probabilities) are each extended by every token,
   * and the {@code width} best of those kept; after {@code steps} tokens the best is returned. All
   * continuations have the same length, so no length normalisation is needed. Ties go to the
   * earlier beam, then the lower token id: deterministic. Width 1 is greedy decoding.
   *
   * @param prompts token ids, every row the same length, at least 1
   * @param steps tokens to generate per prompt
   * @param width beams kept per prompt, at least 1
   * @param manager parent of the per-step managers
   * @return the best continuation of each prompt
   */
  public Generated beam(int[][] prompts, int steps, int width, NDManager manager) {
    if (width < 1) {
      throw new IllegalArgumentException("beam width must be >= 1, found " + width);
    }
    int b = prompts.length;
    int len = prompts[0].length;
    for (int[] p : prompts) {
      if (p.length != len || len == 0) {
        throw new IllegalArgumentException("prompts of one batch must share one length > 0");
      }
    }
    // beams[i]: the live sequences of prompt i, best first, and their scores
    int[][][] beams = new int[b][][];
    double[][] scores = new double[b][];
    for (int i = 0; i < b; i++) {
      beams[i] = new int[][] {Arrays.copyOf(prompts[i], len + steps)};
      scores[i] = new double[] {0};
    }
    long start = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      int end = len + s;
      int from = Math.max(0, end - context);
      int t = end - from;
      int rows = 0;
      for (int[][] bi : beams) {
        rows += bi.length;
      }
      int[] ids = new int[rows * t];
      int r = 0;
      for (int[][] bi : beams) {
        for (int[] seq : bi) {
          System.arraycopy(seq, from, ids, r++ * t, t);
        }
      }
      float[] last;
      try (NDManager m = manager.newSubManager()) {
        NDArray logits = forward.apply(m.create(ids, new Shape(rows, t)));
        logits.attach(m);
        last = logits.get(new NDIndex(":, -1, :")).toFloatArray();
      }
      int v = last.length / rows;
      r = 0;
      for (int i = 0; i < b; i++) {
        int n = beams[i].length;
        double[] cand = new double[n * v];
        for (int k = 0; k < n; k++, r++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < v; c++) {
            max = Math.max(max, last[r * v + c]);
          }
          double z = 0;
          for (int c = 0; c < v; c++) {
            z += Math.exp(last[r * v + c] - max);
          }
          double lse = max + Math.log(z);
          for (int c = 0; c < v; c++) {
            cand[k * v + c] = scores[i][k] + last[r * v + c] - lse;
          }
        }
        int keep = Math.min(width, cand.length);
        Integer[] order = new Integer[cand.length];
        for (int q = 0; q < order.length; q++) {
          order[q] = q;
        }
        Arrays.sort(order, (x, y) -> cand[x] != cand[y] ? Double.compare(cand[y], cand[x]) : x - y);
        int[][] next = new int[keep][];
        double[] nextScores = new double[keep];
        for (int q = 0; q < keep; q++) {
          int k = order[q] / v;
          next[q] = beams[i][k].clone();
          next[q][end] = order[q] % v;
          nextScores[q] = cand[order[q]];
        }
        beams[i] = next;
        scores[i] = nextScores;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int[][] out = new int[b][];
    for (int i = 0; i < b; i++) {
      out[i] = Arrays.copyOfRange(beams[i][0], len, len + steps);
    }
    return new Generated(out, seconds, seconds > 0 ? (double) b * steps / seconds : 0);
  }

  /** Picks one token from a row of logits. */
  static int choose(float[] logits, int off, int v, Decoding d, SplittableRandom random) {
    if (d.temperature() <= 0) {
      int best = 0;
      for (int c = 1; c < v; c++) {
        if (logits[off + c] > logits[off + best]) {
          best = c;
        }
      }
      return best;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < v; c++) {
      max = Math.max(max, logits[off + c]);
    }
    double[] p = new double[v];
    double z = 0;
    for (int c = 0; c < v; c++) {
      p[c] = Math.exp((logits[off + c] - max) / d.temperature());
      z += p[c];
    }
    Integer[] order = new Integer[v];
    for (int c = 0; c < v; c++) {
      order[c] = c;
      p[c] /= z;
    }
    Arrays.sort(order, (a, c) -> p[c] != p[a] ? Double.compare(p[c], p[a]) : Integer.compare(a, c));
    int keep = d.topK() > 0 ? Math.min(d.topK(), v) : v;
    double mass = 0;
    int kept = 0;
    for (; kept < keep; kept++) {
      mass += p[order[kept]];
      if (mass >= d.topP()) {
        kept++;
        break;
      }
    }
    double u = random.nextDouble() * mass;
    double acc = 0;
    for (int i = 0; i < kept; i++) {
      acc += p[order[i]];
      if (u < acc) {
        return order[i];
      }
    }
    return order[kept - 1];
  }
}
