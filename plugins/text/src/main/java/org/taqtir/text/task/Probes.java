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
    return fit(forward, validation, manager).tau();
  }

  /**
   * What is chosen on validation: the temperature and the token-level cascade's thresholds.
   *
   * @param tau the temperature ({@link #fitTemperature})
   * @param deferBelow per share of {@link #DEFER_SHARES}, the student confidence (top-1
   *     probability) below which a position is deferred to the teacher: that share of the fit
   *     windows' positions lies below it
   */
  record Fit(double tau, double[] deferBelow) {}

  /** Tokens the student drafts per teacher call in the report's speculative-decoding figure. */
  static final int DRAFTS = 4;

  /**
   * The tokens a teacher call yields on average when the student drafts {@link #DRAFTS} tokens and
   * each is accepted with probability α, independently (Leviathan et al. 2023): (1 − α^(γ+1)) / (1
   * − α).
   *
   * @param alpha the acceptance rate
   * @return the expected tokens per call
   */
  static double tokensPerCall(double alpha) {
    return (1 - Math.pow(alpha, DRAFTS + 1)) / (1 - alpha);
  }

  /** Shares of positions the token-level cascade defers to the teacher (chosen on validation). */
  static final double[] DEFER_SHARES = {0.10, 0.25, 0.50};

  /**
   * Fits the temperature ({@link #fitTemperature}) and the cascade's confidence thresholds on the
   * first windows of validation, in one forward pass.
   *
   * @param forward the model
   * @param validation the validation windows
   * @param manager a manager for the chunks
   * @return τ and the thresholds
   */
  static Fit fit(Function<NDArray, NDArray> forward, TokenWindows validation, NDManager manager) {
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
    double tau = LossMetrics.fitTemperature(logits, y, v);
    int positions = n * t;
    double[] conf = new double[positions];
    for (int p = 0; p < positions; p++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < v; c++) {
        max = Math.max(max, logits[p * v + c]);
      }
      double z = 0;
      for (int c = 0; c < v; c++) {
        z += Math.exp(logits[p * v + c] - max);
      }
      conf[p] = 1 / z;
    }
    Arrays.sort(conf);
    double[] below = new double[DEFER_SHARES.length];
    for (int i = 0; i < below.length; i++) {
      below[i] =
          positions == 0
              ? Double.NaN
              : conf[Math.min(positions - 1, (int) Math.round(DEFER_SHARES[i] * positions))];
    }
    return new Fit(tau, below);
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
  record Split(Scoring.Scores scores, Map<String, Double> measures, LmOutputs.Detail detail) {}

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
    return split(forward, teacher, split, new Fit(tau, new double[0]), null, false, manager);
  }

  /**
   * {@link #split(Function, Function, TokenWindows, double, NDManager)}, with two more probes. With
   * a teacher: the speculative-decoding acceptance rate of the model's drafts, {@code
   * spec_acceptance} = mean over positions of Σ_v min(p_S(v), p_T(v)) (Leviathan et al. 2023: the
   * probability that the teacher accepts a token sampled from the student), inherited errors at the
   * positions where the teacher's argmax is not the text's next token ({@code
   * errors/teacher_wrong}, their share; {@code errors/inherited}, P(the model's argmax = the
   * teacher's wrong argmax | teacher wrong); {@code errors/corrected}, P(the model's argmax = the
   * text's token | teacher wrong)), and the token-level cascade: a position whose top-1 probability
   * is below a threshold of {@code fit} is answered by the teacher, giving {@code
   * cascade_<percent>/deferral}, {@code /bpc} and {@code /accuracy} for each share of {@link
   * #DEFER_SHARES}. With word buckets: {@code words_<bucket>/bpc} (bits per character of the
   * bucket's positions) and {@code words_<bucket>/share} ({@link WordFrequency}), and with omitted
   * words ({@code data.omit}) {@code omitted_words/bpc} and {@code /share}.
   *
   * @param forward the model
   * @param teacher the teacher, or null
   * @param split the windows
   * @param fit the temperature and the cascade's thresholds
   * @param words the split's positions by word frequency ({@link WordFrequency#buckets}), or null
   * @param detail whether to keep the per-window and per-position {@link LmOutputs.Detail}
   * @param manager a manager for the chunks
   * @return the scores and the measures
   */
  static Split split(
      Function<NDArray, NDArray> forward,
      Function<NDArray, NDArray> teacher,
      TokenWindows split,
      Fit fit,
      WordFrequency.Positions words,
      boolean detail,
      NDManager manager) {
    double[] windowNll = detail ? new double[split.size()] : null;
    int[] argmax = detail ? new int[split.size() * split.window()] : null;
    double tau = fit.tau();
    double[] deferBelow = fit.deferBelow();
    double[] cascadeNll = new double[deferBelow.length];
    long[] cascadeRight = new long[deferBelow.length];
    long[] deferred = new long[deferBelow.length];
    double accept = 0;
    int buckets = WordFrequency.BUCKETS.size();
    double[] bucketNll = new double[buckets];
    long[] bucketCount = new long[buckets];
    long[] bucketChars = new long[buckets];
    double omittedNll = 0;
    long omittedCount = 0;
    long omittedChars = 0;
    Calibration raw = new Calibration();
    Calibration scaled = new Calibration();
    double agree = 0;
    long teacherWrong = 0;
    long inherited = 0;
    long corrected = 0;
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
        float[] logp = ls.gather(target, 2).toFloatArray();
        for (float v : logp) {
          nll -= v;
        }
        if (detail) {
          for (int p = 0; p < logp.length; p++) {
            windowNll[from + p / t] -= logp[p];
          }
          System.arraycopy(arg, 0, argmax, from * t, arg.length);
        }
        if (words != null) {
          for (int p = 0; p < logp.length; p++) {
            int b = words.bucket()[from * t + p];
            bucketNll[b] -= logp[p];
            bucketCount[b]++;
            bucketChars[b] += words.chars()[from * t + p];
            if (words.omitted() != null && words.omitted()[from * t + p]) {
              omittedNll -= logp[p];
              omittedCount++;
              omittedChars += words.chars()[from * t + p];
            }
          }
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
            if (targ[p] != y[p]) {
              teacherWrong++;
              inherited += arg[p] == targ[p] ? 1 : 0;
              corrected += arg[p] == y[p] ? 1 : 0;
            }
          }
          NDArray diff = lt.sub(ls);
          klTs += lt.exp().mul(diff).sum().getFloat();
          klSt -= ls.exp().mul(diff).sum().getFloat();
          accept += ls.exp().minimum(lt.exp()).sum().getFloat();
          if (deferBelow.length > 0) {
            float[] teacherLogp = lt.gather(target, 2).toFloatArray();
            for (int q = 0; q < deferBelow.length; q++) {
              for (int p = 0; p < arg.length; p++) {
                if (conf[p] < deferBelow[q]) {
                  deferred[q]++;
                  cascadeNll[q] -= teacherLogp[p];
                  cascadeRight[q] += targ[p] == y[p] ? 1 : 0;
                } else {
                  cascadeNll[q] -= logp[p];
                  cascadeRight[q] += arg[p] == y[p] ? 1 : 0;
                }
              }
            }
          }
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
      out.put("spec_acceptance", accept / positions);
      out.put("errors/teacher_wrong", (double) teacherWrong / positions);
      if (teacherWrong > 0) {
        out.put("errors/inherited", (double) inherited / teacherWrong);
        out.put("errors/corrected", (double) corrected / teacherWrong);
      }
      for (int q = 0; q < deferBelow.length; q++) {
        String key = "cascade_" + Math.round(100 * DEFER_SHARES[q]) + "/";
        Scoring.Scores c = Scoring.scores(cascadeNll[q], cascadeRight[q], split);
        out.put(key + "deferral", (double) deferred[q] / positions);
        out.put(key + "bpc", c.bitsPerChar());
        out.put(key + "accuracy", c.accuracy());
      }
    }
    if (words != null && words.omitted() != null && positions > 0) {
      out.put("omitted_words/share", (double) omittedCount / positions);
      if (omittedChars > 0) {
        out.put("omitted_words/bpc", omittedNll / omittedChars / Math.log(2));
      }
    }
    if (words != null && positions > 0) {
      for (int b = 0; b < buckets; b++) {
        String key = "words_" + WordFrequency.BUCKETS.get(b) + "/";
        out.put(key + "share", (double) bucketCount[b] / positions);
        if (bucketChars[b] > 0) {
          out.put(key + "bpc", bucketNll[b] / bucketChars[b] / Math.log(2));
        }
      }
    }
    return new Split(
        Scoring.scores(nll, correct, split),
        out,
        detail ? new LmOutputs.Detail(windowNll, argmax, split.charsPerToken()) : null);
  }

  /**
   * Error accumulation along generated prefixes (exposure bias; Arora et al. 2022, "Why Exposure
   * Bias Matters: An Imitation Learning Perspective of Error Accumulation in Language Generation",
   * the measure MiniLLM reports): each prompt of half a window is continued for the other half
   * greedily, once by the teacher and once by the student; on both texts, at every continuation
   * step, the KL divergence KL(p_T ‖ p_S) between the two models' next-token distributions. A
   * student trained on the teacher's (or the corpus's) prefixes sees its own at generation time; if
   * its own prefixes take it further from the teacher than the teacher's do, and more so late in
   * the continuation, its errors accumulate. Keys: {@code kl_teacher_prefix}, {@code kl_own_prefix}
   * (means over steps and prompts), the same for the last quarter of the steps ({@code
   * _last_quarter}), and {@code excess} = kl_own_prefix / kl_teacher_prefix − 1.
   *
   * @param student the student
   * @param teacher the teacher (next-token logits over the student's vocabulary)
   * @param prompts the prompts, each half a window long
   * @param window the models' context length
   * @param manager a manager for the arrays
   * @return the measures by key
   */
  static Map<String, Double> exposure(
      Function<NDArray, NDArray> student,
      Function<NDArray, NDArray> teacher,
      int[][] prompts,
      int window,
      NDManager manager) {
    int half = window / 2;
    Map<String, Double> out = new LinkedHashMap<>();
    if (prompts.length == 0 || half < 1) {
      return out;
    }
    String[] who = {"teacher", "own"};
    double[] all = new double[2];
    double[] late = new double[2];
    for (int k = 0; k < 2; k++) {
      Function<NDArray, NDArray> writer = k == 0 ? teacher : student;
      try (NDManager m = manager.newSubManager()) {
        int[][] continued =
            new org.taqtir.text.model.Generator(writer, window)
                .generate(
                    prompts, window - half, org.taqtir.text.model.Generator.Decoding.GREEDY, m)
                .tokens();
        int[] ids = new int[prompts.length * window];
        for (int i = 0; i < prompts.length; i++) {
          System.arraycopy(prompts[i], 0, ids, i * window, half);
          System.arraycopy(continued[i], 0, ids, i * window + half, window - half);
        }
        NDArray x = m.create(ids, new Shape(prompts.length, window));
        NDArray lt = teacher.apply(x).toType(DataType.FLOAT32, false).logSoftmax(-1);
        NDArray ls = student.apply(x).toType(DataType.FLOAT32, false).logSoftmax(-1);
        // KL per position; position j predicts token j + 1: steps are positions half-1 .. window-2
        float[] kl = lt.exp().mul(lt.sub(ls)).sum(new int[] {-1}).toFloatArray();
        int steps = window - half;
        int lastQuarter = Math.max(1, steps / 4);
        long n = 0;
        long nLate = 0;
        for (int i = 0; i < prompts.length; i++) {
          for (int step = 0; step < steps; step++) {
            double v = kl[i * window + half - 1 + step];
            all[k] += v;
            n++;
            if (step >= steps - lastQuarter) {
              late[k] += v;
              nLate++;
            }
          }
        }
        all[k] /= n;
        late[k] /= nLate;
      }
      out.put("kl_" + who[k] + "_prefix", all[k]);
      out.put("kl_" + who[k] + "_prefix_last_quarter", late[k]);
    }
    out.put("excess", all[1] / all[0] - 1);
    return out;
  }

  /** The seed of the teacher's sampled text in {@link #style}. */
  static final long STYLE_SEED = 11;

  /**
   * Learned the teacher's style, or the data? The teacher continues each prompt by sampling
   * (temperature 1, seeded) for as many tokens as the real text has after it; the model is scored
   * on both continuations, after the same prompts. Keys: {@code bpc_teacher_text} and {@code
   * bpc_real_text}, bits per character (the split's characters per token) of the continuation
   * tokens. A student whose first falls further below its second than the label-only student's has
   * learned how the teacher writes more than how the text is written.
   *
   * @param student the model
   * @param teacher the teacher
   * @param prompts prompts of one length
   * @param real per prompt, the real text that follows it (one length)
   * @param charsPerToken the split's characters per token
   * @param window the models' context length
   * @param manager a manager
   * @return the two measures
   */
  static Map<String, Double> style(
      Function<NDArray, NDArray> student,
      Function<NDArray, NDArray> teacher,
      int[][] prompts,
      int[][] real,
      double charsPerToken,
      int window,
      NDManager manager) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (prompts.length == 0 || real[0].length == 0) {
      return out;
    }
    try (NDManager m = manager.newSubManager()) {
      int[][] written =
          new org.taqtir.text.model.Generator(teacher, window)
              .generate(
                  prompts,
                  real[0].length,
                  org.taqtir.text.model.Generator.Decoding.sample(1.0, STYLE_SEED),
                  m)
              .tokens();
      double perChar = Math.log(2) * charsPerToken;
      out.put("bpc_teacher_text", continuationNll(student, prompts, written, m) / perChar);
      out.put("bpc_real_text", continuationNll(student, prompts, real, m) / perChar);
    }
    return out;
  }

  /** A model's mean negative log-likelihood (nats per token) of continuations after prompts. */
  static double continuationNll(
      Function<NDArray, NDArray> model, int[][] prompts, int[][] continued, NDManager manager) {
    int half = prompts[0].length;
    int steps = continued[0].length;
    int[][] sequences = new int[prompts.length][half + steps];
    for (int i = 0; i < prompts.length; i++) {
      System.arraycopy(prompts[i], 0, sequences[i], 0, half);
      System.arraycopy(continued[i], 0, sequences[i], half, steps);
    }
    double sum = 0;
    for (double logp :
        Scoring.sequenceLogProbs(model, sequences, half, half + steps - 1, manager)) {
      sum -= logp;
    }
    return sum / ((double) prompts.length * steps);
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
