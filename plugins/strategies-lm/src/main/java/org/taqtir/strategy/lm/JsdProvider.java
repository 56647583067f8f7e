package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;

/**
 * {@code jsd}: the generalised Jensen-Shannon divergence of GKD (Agarwal et al. 2024), with the
 * mixture M = β·p_T + (1 − β)·p_S:
 *
 * <pre>
 *   JSD(β) = β·KL(p_T ‖ M) + (1 − β)·KL(p_S ‖ M),   L = τ² · mean over counted tokens
 * </pre>
 *
 * β = 0.5 is the symmetric Jensen-Shannon divergence (bounded by log 2). As β → 0, JSD(β)/β →
 * KL(p_T ‖ p_S) (forward); as β → 1, JSD(β)/(1 − β) → KL(p_S ‖ p_T) (reverse); at the endpoints
 * themselves the formula is identically 0 (M equals one side). Like Hugging Face TRL's {@code
 * GKDTrainer}, the implementation uses those limits at the endpoints: β = 0 computes the forward KL
 * and β = 1 the reverse KL, unnormalised between (so the loss's scale shrinks near either end). The
 * mixture's logarithm is a log-sum-exp, finite where both probabilities underflow.
 */
public final class JsdProvider extends TokenDivergenceProvider {

  /** Creates the provider. */
  public JsdProvider() {
    super(
        ParamDef.ofDouble(
            "beta",
            0.5,
            Range.closed(0, 1),
            "β: mixture weight of the teacher; 0 = forward KL, 1 = reverse KL (limits)"));
  }

  @Override
  public String id() {
    return "jsd";
  }

  @Override
  public String description() {
    return "generalised Jensen-Shannon divergence JSD(β) of GKD; β=0 forward, β=1 reverse KL";
  }

  @Override
  public String formula() {
    return "L = τ²·mean_tokens [β·KL(p_T ‖ M) + (1−β)·KL(p_S ‖ M)],  M = β·p_T + (1−β)·p_S";
  }

  @Override
  public String paper() {
    return "Agarwal et al. 2024, On-Policy Distillation of Language Models: Learning from"
        + " Self-Generated Mistakes (GKD), ICLR";
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    double beta = params.getDouble("beta");
    if (beta == 0) {
      return kl(d.teacher(), d.student());
    }
    if (beta == 1) {
      return kl(d.student(), d.teacher());
    }
    NDArray logM =
        TokenDistributions.logMix(d.teacher(), c.log(beta), d.student(), c.log(1 - beta));
    return kl(d.teacher(), logM).mul(c.of(beta)).add(kl(d.student(), logM).mul(c.of(1 - beta)));
  }
}
