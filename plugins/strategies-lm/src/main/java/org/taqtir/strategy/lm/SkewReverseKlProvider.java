package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;

/**
 * {@code skew-reverse-kl}: DistiLLM's skew reverse KL, the reverse KL against a mixture that keeps
 * a λ share of the student in the teacher's place:
 *
 * <pre>
 *   SRKL_λ = KL(p_S ‖ λ·p_S + (1 − λ)·p_T),   L = τ² · mean over counted tokens
 * </pre>
 *
 * λ = 0 is the reverse KL; the loss shrinks to 0 as λ → 1.
 */
public final class SkewReverseKlProvider extends TokenDivergenceProvider {

  /** λ, shared with {@link SkewForwardKlProvider}. */
  static final ParamDef LAMBDA =
      ParamDef.ofDouble(
          "lambda",
          0.1,
          new Range(0, true, 1, false),
          "λ: the mixture's share of the distribution on the left (DistiLLM: 0.1)");

  /** The paper, shared with {@link SkewForwardKlProvider}. */
  static final String PAPER =
      "Ko, Kim, Chen, Yun 2024, DistiLLM: Towards Streamlined Distillation for Large Language"
          + " Models, ICML";

  /** Creates the provider. */
  public SkewReverseKlProvider() {
    super(LAMBDA);
  }

  @Override
  public String id() {
    return "skew-reverse-kl";
  }

  @Override
  public String description() {
    return "DistiLLM skew KL(student ‖ λ·student + (1−λ)·teacher); λ=0 is reverse KL";
  }

  @Override
  public String formula() {
    return "L = τ²·mean_tokens KL(p_S ‖ λ·p_S + (1−λ)·p_T)";
  }

  @Override
  public String paper() {
    return PAPER;
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    double lambda = params.getDouble("lambda");
    if (lambda == 0) {
      return kl(d.student(), d.teacher());
    }
    return kl(
        d.student(),
        TokenDistributions.logMix(d.student(), c.log(lambda), d.teacher(), c.log(1 - lambda)));
  }
}
