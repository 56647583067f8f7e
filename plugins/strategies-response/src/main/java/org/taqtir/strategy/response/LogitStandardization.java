package org.taqtir.strategy.response;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.taqtir.api.ParamDef;

/**
 * Logit standardization, Sun, Ren, Li, Wang, Cao (CVPR 2024), "Logit Standardization in Knowledge
 * Distillation", arXiv:2403.01427: each sample's logits are replaced by their Z-score before the
 * temperature, Z(z) = (z − mean(z)) / (std(z) + 1e-7) with the unbiased (n − 1) standard deviation,
 * as in the authors' code. The student then need not match the teacher's logit range, only its
 * shape. The authors pair it with a base temperature of about 2.
 */
final class LogitStandardization {

  /** The shared {@code standardize} parameter of {@code hinton-kd} and {@code dkd}. */
  static final ParamDef PARAM =
      ParamDef.ofBoolean(
          "standardize",
          false,
          "Z-score each sample's logits before the temperature (Sun et al. 2024)");

  private LogitStandardization() {}

  /**
   * Standardizes each row.
   *
   * @param z logits {@code (B, C)}
   * @param eps the constant 1e-7 as an NDArray owned by the run
   * @param batch the batch manager, for the per-shape constant 1/(C − 1)
   * @return the Z-scored logits
   */
  static NDArray zscore(NDArray z, NDArray eps, NDManager batch) {
    long classes = z.getShape().get(1);
    NDArray centred = z.sub(z.mean(new int[] {1}, true));
    NDArray invDof = batch.create(1f / (classes - 1));
    NDArray std = centred.square().sum(new int[] {1}, true).mul(invDof).sqrt();
    return centred.div(std.add(eps));
  }
}
