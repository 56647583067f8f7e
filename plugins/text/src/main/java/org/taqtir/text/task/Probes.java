package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.taqtir.core.eval.loss.LossMetrics;

/**
 * "What did we lose?" for a language model, next token by next token: calibration (expected
 * calibration error, 15 equal-width confidence bins, before and after a temperature fitted on
 * validation; Guo et al. 2017), confidence, and, beside a teacher, imitation (top-1 agreement with
 * the teacher's argmax and the KL divergence both ways, per token); and of generated text,
 * degeneration (Welleck et al. 2020's seq-rep-4 on words, Li et al. 2016's distinct-2, the share of
 * greedy continuations that end in a loop).
 *
 * <p>Everything is computed chunk by chunk in inference mode, so no split's logits are held at
 * once.
 */
final class Probes {

  /** Confidence bins of the calibration error. */
  static final int BINS = 15;

  /** Validation windows the temperature is fitted on. */
  static final int FIT_WINDOWS = 128;

  private Probes() {}

  /**
   * Fits the temperature that minimises the model's next-token negative log-likelihood on the first
   * windows of validation (golden-section search on log τ in [1/8, 8]).
   *
   * @param forward the model
   * @param validation the validation windows
   * @param manager a manager for the chunks
   * @return τ
   */
  static double fitTemperature(
      Function<NDArray, NDArray> forward, TokenWindows validation, NDManager manager) {
    int n = Math.min(FIT_WINDOWS, validation.size());
    int t = validation.window();
    float[] logits;
    int v;
    try (NDManager m = manager.newSubManager()) {
      NDArray out = forward.apply(validation.inputs(m, 0, n));
      out.attach(m);
      v = (int) out.getShape().get(2);
      logits = out.toType(DataType.FLOAT32, false).toFloatArray();
    }
    int[] y = Arrays.copyOf(validation.targets(), n * t);
    // the classification evaluation's fit: golden-section search on ln τ in [1/20, 20]
    return LossMetrics.fitTemperature(logits, y, v);
  }

  /** Expected calibration error over equal-width confidence bins. */
  static final class Calibration {
    private final long[] count = new long[BINS];
    private final double[] confidence = new double[BINS];
    private final double[] right = new double[BINS];

    void add(double conf, boolean correct) {
      int b = Math.min(BINS - 1, (int) (conf * BINS));
      count[b]++;
      confidence[b] += conf;
      right[b] += correct ? 1 : 0;
    }

    double ece() {
      long n = 0;
      double e = 0;
      for (int b = 0; b < BINS; b++) {
        n += count[b];
        e += Math.abs(right[b] - confidence[b]);
      }
      return n == 0 ? Double.NaN : e / n;
    }

    double meanConfidence() {
      long n = 0;
      double c = 0;
      for (int b = 0; b < BINS; b++) {
        n += count[b];
        c += confidence[b];
      }
      return n == 0 ? Double.NaN : c / n;
    }
  }

  /**
   * One split's next-token scores and probes.
   *
   * @param scores what {@link Scoring#score} computes, bit for bit, from the same forward pass
   * @param measures the probes by key
   */
  record Split(Scoring.Scores scores, Map<String, Double> measures) {}

  /**
   * Scores one split in one pass of the model: its next-token scores ({@link Scoring.Scores}) and
   * the probes: ECE at τ = 1 and at the fitted τ, mean confidence, and with a teacher the agreement
   * and both KLs. Keys: {@code ece}, {@code ece_scaled}, {@code confidence}, {@code agreement},
   * {@code kl_teacher_student} (KL(p_T ‖ p_S)), {@code kl_student_teacher}. The per-position
   * reductions run in libtorch (float32, per chunk); the chunks' sums and the calibration bins are
   * accumulated in float64.
   *
   * @param forward the model
   * @param teacher the teacher, or null
   * @param split the windows
   * @param tau the fitted temperature
   * @param manager a manager for the chunks
   * @return the scores and the measures
   */
  static Split split(
      Function<NDArray, NDArray> forward,
      Function<NDArray, NDArray> teacher,
      TokenWindows split,
      double tau,
      NDManager manager) {
    Calibration raw = new Calibration();
    Calibration scaled = new Calibration();
    double agree = 0;
    double klTs = 0;
    double klSt = 0;
    long positions = 0;
    double nll = 0;
    long correct = 0;
    int t = split.window();
    int[] targets = split.targets();
    for (int from = 0; from < split.size(); from += Scoring.CHUNK) {
      int to = Math.min(split.size(), from + Scoring.CHUNK);
      try (NDManager m = manager.newSubManager()) {
        NDArray x = split.inputs(m, from, to);
        NDArray s = forward.apply(x);
        s.attach(m);
        s = s.toType(DataType.FLOAT32, false);
        NDArray ls = s.logSoftmax(-1);
        // dividing by τ > 0 keeps the argmax: one argmax serves both calibrations
        int[] arg = s.argMax(-1).toType(DataType.INT32, false).toIntArray();
        float[] conf = ls.max(new int[] {-1}).exp().toFloatArray();
        float[] confScaled =
            s.div((float) tau).logSoftmax(-1).max(new int[] {-1}).exp().toFloatArray();
        int[] y = Arrays.copyOfRange(targets, from * t, to * t);
        NDArray target = m.create(y, new Shape(to - from, t, 1)).toType(DataType.INT64, false);
        // summed in the order Scoring.score sums: the same scores, bit for bit
        for (float v : ls.gather(target, 2).toFloatArray()) {
          nll -= v;
        }
        for (int p = 0; p < arg.length; p++) {
          boolean right = arg[p] == y[p];
          correct += right ? 1 : 0;
          raw.add(conf[p], right);
          scaled.add(confScaled[p], right);
        }
        if (teacher != null) {
          NDArray tt = teacher.apply(x);
          tt.attach(m);
          NDArray lt = tt.toType(DataType.FLOAT32, false).logSoftmax(-1);
          int[] targ = lt.argMax(-1).toType(DataType.INT32, false).toIntArray();
          for (int p = 0; p < arg.length; p++) {
            agree += arg[p] == targ[p] ? 1 : 0;
          }
          NDArray diff = lt.sub(ls);
          klTs += lt.exp().mul(diff).sum().getFloat();
          klSt -= ls.exp().mul(diff).sum().getFloat();
        }
        positions += arg.length;
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("ece", raw.ece());
    out.put("ece_scaled", scaled.ece());
    out.put("confidence", raw.meanConfidence());
    if (teacher != null && positions > 0) {
      out.put("agreement", agree / positions);
      out.put("kl_teacher_student", klTs / positions);
      out.put("kl_student_teacher", klSt / positions);
    }
    return new Split(Scoring.scores(nll, correct, split), out);
  }

  /**
   * Degeneration of generated continuations: {@code seq_rep_4}, the mean over continuations of 1 −
   * unique word 4-grams / word 4-grams; {@code distinct_2}, unique word bigrams over all bigrams of
   * all continuations; {@code looping}, the share of continuations whose last {@code 2·P} tokens
   * repeat with a period of at most P = a quarter of the continuation.
   *
   * @param texts the continuations, decoded
   * @param tokens the same continuations as token ids
   * @return the measures by key
   */
  static Map<String, Double> degeneration(List<String> texts, int[][] tokens) {
    double rep = 0;
    int counted = 0;
    Set<String> bigrams = new HashSet<>();
    long allBigrams = 0;
    for (String text : texts) {
      String[] w = text.trim().split("\\s+");
      List<String> grams = new ArrayList<>();
      for (int i = 0; i + 4 <= w.length; i++) {
        grams.add(String.join(" ", Arrays.copyOfRange(w, i, i + 4)));
      }
      if (!grams.isEmpty()) {
        rep += 1 - (double) new HashSet<>(grams).size() / grams.size();
        counted++;
      }
      for (int i = 0; i + 2 <= w.length; i++) {
        bigrams.add(w[i] + " " + w[i + 1]);
        allBigrams++;
      }
    }
    int loops = 0;
    for (int[] seq : tokens) {
      loops += loops(seq) ? 1 : 0;
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("seq_rep_4", counted == 0 ? Double.NaN : rep / counted);
    out.put("distinct_2", allBigrams == 0 ? Double.NaN : (double) bigrams.size() / allBigrams);
    out.put("looping", tokens.length == 0 ? Double.NaN : (double) loops / tokens.length);
    return out;
  }

  /** Whether the sequence's tail is periodic: its last 2·P tokens repeat with a period ≤ P. */
  static boolean loops(int[] seq) {
    int max = seq.length / 4;
    for (int period = 1; period <= max; period++) {
      boolean periodic = true;
      for (int i = seq.length - 2 * max; i < seq.length - period && periodic; i++) {
        periodic = seq[i] == seq[i + period];
      }
      if (periodic) {
        return true;
      }
    }
    return false;
  }
}
