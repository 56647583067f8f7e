package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.Params;

/**
 * {@code symmetric-kl}: the sum of both directions (Jeffreys' divergence), computed as Σ (p_T −
 * p_S)·(log p_T − log p_S), which equals KL(p_T ‖ p_S) + KL(p_S ‖ p_T) and is exactly 0 when the
 * distributions are equal:
 *
 * <pre>
 *   L = τ² · 1/N Σ_{b,t counted} Σ_v (p_T(v) − p_S(v))·(log p_T(v) − log p_S(v))
 * </pre>
 *
 * The sum, not the average, of the two directions: halve the weight for the average.
 */
public final class SymmetricKlProvider extends TokenDivergenceProvider {

  @Override
  public String id() {
    return "symmetric-kl";
  }

  @Override
  public String description() {
    return "token-level KL(teacher ‖ student) + KL(student ‖ teacher) (the sum); τ²-scaled";
  }

  @Override
  public String formula() {
    return "L = τ²·mean_tokens Σ_v (p_T − p_S)·(log p_T − log p_S)   [forward + reverse KL]";
  }

  @Override
  public String paper() {
    return "Jeffreys 1946, An invariant form for the prior probability in estimation problems,"
        + " Proc. R. Soc. A 186";
  }

  @Override
  NDArray perPosition(TokenDistributions d, Params params, Constants c) {
    return d.teacher()
        .exp()
        .sub(d.student().exp())
        .mul(d.teacher().sub(d.student()))
        .sum(new int[] {2});
  }
}
