package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.Params;

/**
 * {@code tvd}: the total variation distance between the next-token distributions, ½ Σ |p_T − p_S|,
 * in [0, 1] at every position. Symmetric and bounded; its gradient does not grow where the student
 * assigns almost nothing (unlike either KL). Not multiplied by τ².
 *
 * <pre>
 *   L = 1/N Σ_{b,t counted} ½ Σ_v |p_T(v) − p_S(v)|
 * </pre>
 */
public final class TotalVariationProvider extends TokenDivergenceProvider {

  @Override
  public String id() {
    return "tvd";
  }

  @Override
  public String description() {
    return "token-level total variation distance ½Σ|p_T − p_S|, bounded in [0, 1]";
  }

  @Override
  public String formula() {
    return "L = mean_tokens ½·Σ_v |p_T − p_S|   (no τ² factor)";
  }

  @Override
  public String paper() {
    return "Wen, Li, Du, Mou 2023, f-Divergence Minimization for Sequence-Level Knowledge"
        + " Distillation (f-distill: TVD), ACL";
  }

  @Override
  boolean scalesWithTemperatureSquared() {
    return false;
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    return d.teacher().exp().sub(d.student().exp()).abs().sum(new int[] {2}).mul(c.of(0.5));
  }
}
