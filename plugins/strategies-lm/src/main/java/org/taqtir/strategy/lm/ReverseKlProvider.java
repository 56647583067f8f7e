package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.Params;

/**
 * {@code reverse-kl}: KL(p_S ‖ p_T) at every position, the student's distribution first:
 * mode-seeking (the student is punished for mass where the teacher has little, not for missing some
 * of the teacher's modes). MiniLLM optimises the sequence-level reverse KL by policy gradient; this
 * is its token-level form on the training text, as GKD and DistiLLM use it.
 *
 * <pre>
 *   L = τ² · 1/N Σ_{b,t counted} Σ_v p_S(v)·(log p_S(v) − log p_T(v))
 * </pre>
 */
public final class ReverseKlProvider extends TokenDivergenceProvider {

  @Override
  public String id() {
    return "reverse-kl";
  }

  @Override
  public String description() {
    return "token-level KL(student ‖ teacher), mode-seeking; per token, τ²-scaled";
  }

  @Override
  public String formula() {
    return "L = τ²·mean_tokens Σ_v p_S·(log p_S − log p_T)   [KL(p_S ‖ p_T), reverse]";
  }

  @Override
  public String paper() {
    return "Gu, Dong, Wei, Huang 2024, MiniLLM: Knowledge Distillation of Large Language Models,"
        + " ICLR";
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    return kl(d.student(), d.teacher());
  }
}
