package org.taqtir.api;

import java.util.Objects;

/**
 * A strategy that trains on generated text instead of (or besides) the real training windows
 * declares how that text is made, and the task makes it (language modelling: its generator):
 *
 * <ul>
 *   <li>{@link By#TEACHER}: sequence-level distillation (Kim &amp; Rush 2016). Before training, the
 *       teacher continues a prompt taken from each training window; the generated windows replace a
 *       {@code share} of the real ones. Generated once per (teacher, prompts, decoding, seed) and
 *       cached like teacher outputs.
 *   <li>{@link By#STUDENT}: on-policy distillation (GKD, Agarwal et al. 2024). A {@code share} of
 *       the batches, drawn by a seeded generator, is replaced by the student's own continuations of
 *       their prompts (no gradient through the sampling); the teacher then runs on them and the
 *       strategy's divergence is taken on the generated positions only (the prompt's labels are
 *       padding).
 * </ul>
 *
 * @param by who generates
 * @param share the fraction of training windows (teacher) or batches (student) that are generated
 * @param promptTokens how many tokens of the real window are kept as the prompt
 * @param temperature sampling temperature; 0 decodes greedily
 * @param topK sample among the k most likely tokens only; 0 for all
 * @param topP sample among the smallest set of tokens whose probability reaches p; 1 for all
 * @param seed the generator's seed (combined with the run's)
 * @param beam beam-search width; 1 decodes token by token (greedy or sampled), more than 1 keeps
 *     that many continuations per prompt and returns the most likely (needs temperature 0)
 */
public record Generation(
    By by,
    double share,
    int promptTokens,
    double temperature,
    int topK,
    double topP,
    long seed,
    int beam) {

  /** Who generates the text. */
  public enum By {
    /** The teacher, once, before training: sequence-level KD. */
    TEACHER,
    /** The student, during training: on-policy KD. */
    STUDENT
  }

  /** Checks the values. */
  public Generation {
    Objects.requireNonNull(by, "by");
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("generation share must be in (0, 1], found " + share);
    }
    if (promptTokens < 1) {
      throw new IllegalArgumentException("prompt tokens must be >= 1, found " + promptTokens);
    }
    if (temperature < 0 || topK < 0 || !(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException(
          "decoding: temperature >= 0, top_k >= 0, top_p in (0, 1]; found "
              + temperature
              + ", "
              + topK
              + ", "
              + topP);
    }
    if (beam < 1 || beam > 1 && temperature != 0) {
      throw new IllegalArgumentException(
          "beam search needs beam >= 1 and temperature 0; found beam "
              + beam
              + ", temperature "
              + temperature);
    }
  }

  /**
   * A generation decoded token by token (beam width 1).
   *
   * @param by who generates
   * @param share the fraction generated
   * @param promptTokens real tokens kept as the prompt
   * @param temperature sampling temperature; 0 greedy
   * @param topK top-k sampling; 0 all
   * @param topP nucleus mass; 1 all
   * @param seed the seed
   */
  public Generation(
      By by, double share, int promptTokens, double temperature, int topK, double topP, long seed) {
    this(by, share, promptTokens, temperature, topK, topP, seed, 1);
  }

  /**
   * Tells whether decoding is greedy.
   *
   * @return temperature 0
   */
  public boolean greedy() {
    return temperature == 0;
  }
}
