package org.taqtir.api;

import java.util.List;

/**
 * The taps under which a teacher that reads another tokenization than the student's reaches a
 * strategy, in {@link StepOutputs#features()} of the teacher's outputs (a language-modelling study
 * with {@code data.teacher_tokenizer}). The teacher's logits beside them are its next-token
 * distribution re-scored over the student's vocabulary, position by position of the student's
 * sequence; where it has none (the teacher has not predicted anything yet, or its window is full)
 * {@link #MASK} is 0 and a strategy must leave the position out.
 *
 * <p>For ULD (universal logit distillation, Boizard et al. 2024), which compares sorted probability
 * vectors and so needs no shared vocabulary, {@link #SORTED} holds the teacher's own next-token
 * probabilities in descending order at the student positions where a teacher token begins, and
 * {@link #SORTED_MASK} marks those positions.
 */
public final class TokenAlignment {

  /** {@code (B, T)} float32: 1 where the re-scored teacher logits are defined, else 0. */
  public static final String MASK = "alignment:mask";

  /**
   * {@code (B, T, k)} float32: the teacher's k largest next-token probabilities over its own
   * vocabulary, descending (k = the student's vocabulary size or the teacher's, the smaller).
   */
  public static final String SORTED = "alignment:sorted";

  /**
   * {@code (B, T)} float32: 1 where {@link #SORTED} is aligned (a teacher token begins), else 0.
   */
  public static final String SORTED_MASK = "alignment:sorted-mask";

  /** The three names, in the order the teacher-output cache stores them. */
  public static final List<String> TAPS = List.of(MASK, SORTED, SORTED_MASK);

  private TokenAlignment() {}
}
