package org.taqtir.strategy.response;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyInfo;

/**
 * {@code nkd}: Normalized Knowledge Distillation, Yang, Zeng, Li, Zhang, Yuan, Li (ICCV 2023),
 * "From Knowledge Distillation to Self-Knowledge Distillation: A Unified Approach with Normalized
 * Loss and Customized Soft Labels", arXiv:2303.13005.
 *
 * <p>With y = softmax(s), t = softmax(t_logits), g the label, and the non-target distributions T̂ =
 * softmax over the classes ≠ g of t_logits/λ, Ŝ likewise for the student:
 *
 * <pre>
 *   L = −1/B Σ_i t_i,g · log y_i,g  −  γ · λ² · 1/B Σ_i Σ_{c≠g} T̂_i,c · log Ŝ_i,c
 * </pre>
 *
 * the target term weighted by the teacher's (detached) target probability, the non-target term
 * normalised so its scale does not depend on the target probability. Defaults γ = 1.5, λ = 1 are
 * the authors' ImageNet settings (their code, mmrazor's {@code NKDLoss}); they add it to the label
 * cross-entropy: compose with {@code labels-only}.
 */
public final class NkdProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public NkdProvider() {
    super(
        StrategyInfo.of("nkd", Family.RESPONSE, Capability.NEEDS_TEACHER)
            .withParams(
                ParamDef.ofDouble(
                    "gamma", 1.5, Range.atLeast(0), "weight γ of the non-target term"),
                ParamDef.ofDouble(
                    "temperature",
                    1.0,
                    Range.greaterThan(0),
                    "temperature λ of the non-target term"))
            .withDescription(
                "teacher-weighted target log-likelihood + normalised non-target KD; add labels-only")
            .withFormula(
                "L = -1/B Σ_i [t_i,g·log y_i,g + γ·λ²·Σ_{c≠g} T̂_i,c·log Ŝ_i,c]",
                "y = softmax(s), t = softmax(t_logits), T̂, Ŝ = non-target softmax at λ")
            .withPaper(
                "Yang et al. 2023, From Knowledge Distillation to Self-Knowledge Distillation,"
                    + " ICCV, arXiv:2303.13005"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Nkd(p.getDouble("gamma"), p.getDouble("temperature"));
  }

  private static final class Nkd extends AbstractStrategy {
    private final double gamma;
    private final double temperature;

    Nkd(double gamma, double temperature) {
      this.gamma = gamma;
      this.temperature = temperature;
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray gt = batch.oneHot();
      NDArray s = student.logits();
      NDArray t = teacher.logits();
      NDArray logYg = s.logSoftmax(1).mul(gt).sum(new int[] {1});
      NDArray wt = t.softmax(1).mul(gt).sum(new int[] {1});
      NDArray target = wt.mul(logYg).sum();
      NDArray offset = gt.mul(constant(1000));
      NDArray invT = constant(1 / temperature);
      NDArray logShat = s.sub(offset).mul(invT).logSoftmax(1);
      NDArray that = t.sub(offset).mul(invT).softmax(1);
      NDArray nonTarget = that.mul(logShat).sum();
      return target
          .add(nonTarget.mul(constant(gamma * temperature * temperature)))
          .mul(constant(-1.0 / batch.size()));
    }
  }
}
