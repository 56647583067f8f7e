package org.taqtir.strategy.response;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

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
public final class NkdProvider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofDouble("gamma", 1.5, Range.atLeast(0), "weight γ of the non-target term"),
          ParamDef.ofDouble(
              "temperature", 1.0, Range.greaterThan(0), "temperature λ of the non-target term"));

  @Override
  public String id() {
    return "nkd";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "teacher-weighted target log-likelihood + normalised non-target KD; add labels-only";
  }

  @Override
  public String paper() {
    return "Yang et al. 2023, From Knowledge Distillation to Self-Knowledge Distillation, ICCV,"
        + " arXiv:2303.13005";
  }

  @Override
  public String formula() {
    return "L = -1/B Σ_i [t_i,g·log y_i,g + γ·λ²·Σ_{c≠g} T̂_i,c·log Ŝ_i,c],  T̂, Ŝ = non-target softmax at λ";
  }

  @Override
  public Family family() {
    return Family.RESPONSE;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.NEEDS_TEACHER);
  }

  @Override
  public DistillationStrategy create(Params p) {
    return new Nkd(p.getDouble("gamma"), p.getDouble("temperature"));
  }

  private static final class Nkd implements DistillationStrategy {
    private final double gamma;
    private final double temperature;
    private NDArray invT;
    private NDArray gammaT2;
    private NDArray mask;

    Nkd(double gamma, double temperature) {
      this.gamma = gamma;
      this.temperature = temperature;
    }

    private Scalars scalars;

    @Override
    public void prepare(StrategyContext context) {
      scalars = new Scalars(context.manager());
      var m = context.manager();
      invT = m.create((float) (1 / temperature));
      gammaT2 = m.create((float) (gamma * temperature * temperature));
      mask = m.create(1000f);
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray gt = batch.oneHot();
      NDArray s = student.logits();
      NDArray t = teacher.logits();
      NDArray logYg = s.logSoftmax(1).mul(gt).sum(new int[] {1});
      NDArray wt = t.softmax(1).mul(gt).sum(new int[] {1});
      NDArray target = wt.mul(logYg).sum();
      NDArray offset = gt.mul(mask);
      NDArray logShat = s.sub(offset).mul(invT).logSoftmax(1);
      NDArray that = t.sub(offset).mul(invT).softmax(1);
      NDArray nonTarget = that.mul(logShat).sum();
      NDArray negInvB = scalars.of(-1f / batch.size());
      return target.add(nonTarget.mul(gammaT2)).mul(negInvB);
    }

    @Override
    public String toString() {
      return "nkd(γ=" + gamma + ", λ=" + temperature + ")";
    }
  }
}
