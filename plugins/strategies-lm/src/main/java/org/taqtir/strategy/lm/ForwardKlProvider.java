package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.Params;

/**
 * {@code forward-kl}: KL(p_T ‖ p_S) at every position, the teacher's distribution first:
 * mode-covering (the student is punished wherever the teacher has mass and it has none). Hinton et
 * al.'s soft-target loss applied per token, Kim &amp; Rush's word-level KD; the default of most LM
 * distillation recipes (torchtune's {@code ForwardKLLoss}, DistillKit).
 *
 * <pre>
 *   L = τ² · 1/N Σ_{b,t counted} Σ_v p_T(v)·(log p_T(v) − log p_S(v)),  p = softmax(z / τ)
 * </pre>
 *
 * Computed as Σ p·(log p − log q) directly, so it is exactly 0 when the student equals the teacher.
 */
public final class ForwardKlProvider extends TokenDivergenceProvider {

  @Override
  public String id() {
    return "forward-kl";
  }

  @Override
  public String description() {
    return "token-level KL(teacher ‖ student), mode-covering; per token, τ²-scaled";
  }

  @Override
  public String formula() {
    return "L = τ²·mean_tokens Σ_v p_T·(log p_T − log p_S)   [KL(p_T ‖ p_S), forward]";
  }

  @Override
  public String paper() {
    return "Hinton, Vinyals, Dean 2015, arXiv:1503.02531; Kim & Rush 2016, Sequence-Level"
        + " Knowledge Distillation (word-level KD), EMNLP";
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    return kl(d.teacher(), d.student());
  }
}
