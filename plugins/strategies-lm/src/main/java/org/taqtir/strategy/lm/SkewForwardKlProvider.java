package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.Params;

/**
 * {@code skew-forward-kl}: DistiLLM's skew KL, the forward KL against a mixture that keeps a λ
 * share of the teacher in the student's place, so the divergence and its gradient stay bounded when
 * the student assigns a token almost nothing:
 *
 * <pre>
 *   SKL_λ = KL(p_T ‖ λ·p_T + (1 − λ)·p_S),   L = τ² · mean over counted tokens
 * </pre>
 *
 * λ = 0 is the forward KL; the loss shrinks to 0 as λ → 1. DistiLLM's code computes the
 * cross-entropy −Σ p_T·log(mixture) without the teacher's entropy; this value includes it (so it is
 * 0 when student = teacher), with the same gradient.
 */
public final class SkewForwardKlProvider extends TokenDivergenceProvider {

  /** Creates the provider. */
  public SkewForwardKlProvider() {
    super(SkewReverseKlProvider.LAMBDA);
  }

  @Override
  public String id() {
    return "skew-forward-kl";
  }

  @Override
  public String description() {
    return "DistiLLM skew KL(teacher ‖ λ·teacher + (1−λ)·student); λ=0 is forward KL";
  }

  @Override
  public String formula() {
    return "L = τ²·mean_tokens KL(p_T ‖ λ·p_T + (1−λ)·p_S)";
  }

  @Override
  public String paper() {
    return SkewReverseKlProvider.PAPER;
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    double lambda = params.getDouble("lambda");
    if (lambda == 0) {
      return kl(d.teacher(), d.student());
    }
    return kl(
        d.teacher(),
        TokenDistributions.logMix(d.teacher(), c.log(lambda), d.student(), c.log(1 - lambda)));
  }
}
