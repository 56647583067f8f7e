package org.taqtir.text.task;

import java.util.List;
import java.util.Map;
import org.taqtir.core.eval.MarkdownView;
import org.taqtir.core.eval.RunOutputs;

/**
 * What the language-modelling evaluation measured of one model (teacher or student).
 *
 * @param scores per evaluation set ({@code test}, {@code held_out}, {@code out_of_domain}), the
 *     next-token scores
 * @param samples generated continuations of test prompts: greedy first, then sampled
 * @param tokensPerSecond generation throughput, batch 1 (greedy, no cache)
 * @param tokensPerSecondBatched generation throughput, all prompts as one batch
 * @param parameterCount the model's trainable scalars, -1 when unknown
 * @param measures the loss probes ({@link Probes}) by metric key, e.g. {@code test/ece}, {@code
 *     test/agreement}, {@code generation/seq_rep_4}
 * @param test the test set's per-window losses and per-position predictions, for the report's
 *     paired comparisons between models and churn between seeds; null when the probes are off (not
 *     written to {@code loss-report.json})
 */
public record LmOutputs(
    Map<String, Scoring.Scores> scores,
    List<Sample> samples,
    double tokensPerSecond,
    double tokensPerSecondBatched,
    long parameterCount,
    Map<String, Double> measures,
    @com.fasterxml.jackson.annotation.JsonIgnore Detail test)
    implements RunOutputs, MarkdownView {

  /**
   * What paired comparisons between models need of one set: the negative log-likelihood summed per
   * window (the resampling unit of the paired bootstrap: positions within a window are not
   * independent) and the top-1 token of every position (churn between seeds).
   *
   * @param windowNll per window, Σ −ln p(next token) over its positions, nats
   * @param argmax per position, the most likely token
   * @param charsPerToken the set's characters per token (window sums to bits per character)
   */
  public record Detail(double[] windowNll, int[] argmax, double charsPerToken) {}

  /** Copies. */
  public LmOutputs {
    scores = Map.copyOf(scores);
    samples = List.copyOf(samples);
    measures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(measures));
  }

  /** The scores per set and the generated samples, as a notebook shows them. */
  @Override
  public String markdown() {
    StringBuilder sb =
        new StringBuilder("| set | bits/char | loss (nats/token) | perplexity | accuracy |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    scores.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                sb.append(
                    String.format(
                        java.util.Locale.ROOT,
                        "| %s | %.3f | %.4f | %.3f | %.3f |%n",
                        e.getKey(),
                        e.getValue().bitsPerChar(),
                        e.getValue().loss(),
                        Math.exp(e.getValue().loss()),
                        e.getValue().accuracy())));
    sb.append(
        String.format(
            java.util.Locale.ROOT,
            "%n%,d parameters; generation %.0f tokens/s at batch 1, %.0f batched%n%n",
            parameterCount,
            tokensPerSecond,
            tokensPerSecondBatched));
    sb.append("| prompt | decoding | continuation |\n|---|---|---|\n");
    for (Sample s : samples) {
      sb.append("| ")
          .append(LmRenderer.cell(s.prompt()))
          .append(" | ")
          .append(s.decoding())
          .append(" | ")
          .append(LmRenderer.cell(s.text()))
          .append(" |\n");
    }
    return sb.toString();
  }

  /**
   * One generated continuation.
   *
   * @param prompt the prompt text
   * @param decoding how it was decoded, e.g. {@code greedy}, {@code T=0.8}
   * @param text the generated text
   */
  public record Sample(String prompt, String decoding, String text) {}
}
