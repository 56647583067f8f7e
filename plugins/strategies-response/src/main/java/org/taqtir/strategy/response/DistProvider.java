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
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/**
 * {@code dist}: Knowledge Distillation from A Stronger Teacher, Huang, You, Wang, Qian, Xu (NeurIPS
 * 2022), arXiv:2205.10536.
 *
 * <p>Matches relations instead of exact probabilities, with Y_s = softmax(s/τ), Y_t = softmax(t/τ)
 * (B × C) and ρ the Pearson correlation of two vectors (cosine of the mean-centred vectors, ε =
 * 1e-8 in the denominator as in the official code):
 *
 * <pre>
 *   inter = τ² · (1 − 1/B Σ_i ρ(Y_s[i,:], Y_t[i,:]))     (per sample, across classes)
 *   intra = τ² · (1 − 1/C Σ_c ρ(Y_s[:,c], Y_t[:,c]))     (per class, across the batch)
 *   L     = β · inter + γ · intra
 * </pre>
 *
 * No label term: compose with {@code labels-only}. Defaults β = γ = 1, τ = 1 are the paper's
 * ImageNet settings (for CIFAR-100 it uses β = γ = 2, τ = 4).
 */
public final class DistProvider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofDouble("beta", 1.0, Range.atLeast(0), "weight β of the inter-class term"),
          ParamDef.ofDouble("gamma", 1.0, Range.atLeast(0), "weight γ of the intra-class term"),
          ParamDef.ofDouble("tau", 1.0, Range.greaterThan(0), "softmax temperature τ"));

  @Override
  public String id() {
    return "dist";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "inter- and intra-class Pearson relations of softened outputs; add labels-only for CE";
  }

  @Override
  public String paper() {
    return "Huang et al. 2022, Knowledge Distillation from A Stronger Teacher, NeurIPS,"
        + " arXiv:2205.10536";
  }

  @Override
  public String formula() {
    return "L = β·τ²·(1 - mean_i ρ(Y_s[i,:], Y_t[i,:])) + γ·τ²·(1 - mean_c ρ(Y_s[:,c], Y_t[:,c])),  Y = softmax(z/τ), ρ = Pearson";
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
    return new Dist(p.getDouble("beta"), p.getDouble("gamma"), p.getDouble("tau"));
  }

  private static final class Dist implements DistillationStrategy {
    private final double beta;
    private final double gamma;
    private final double tau;
    private NDArray invTau;
    private NDArray betaT2;
    private NDArray gammaT2;
    private NDArray eps;
    private NDArray one;

    Dist(double beta, double gamma, double tau) {
      this.beta = beta;
      this.gamma = gamma;
      this.tau = tau;
    }

    @Override
    public void prepare(StrategyContext context) {
      var m = context.manager();
      invTau = m.create((float) (1 / tau));
      betaT2 = m.create((float) (beta * tau * tau));
      gammaT2 = m.create((float) (gamma * tau * tau));
      eps = m.create(1e-8f);
      one = m.create(1f);
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray ys = student.logits().mul(invTau).softmax(1);
      NDArray yt = teacher.logits().mul(invTau).softmax(1);
      NDArray inter = one.sub(pearson(ys, yt, 1).mean());
      NDArray intra = one.sub(pearson(ys, yt, 0).mean());
      return inter.mul(betaT2).add(intra.mul(gammaT2));
    }

    /** Pearson correlation of matching slices along {@code axis} (1: rows, 0: columns). */
    private NDArray pearson(NDArray a, NDArray b, int axis) {
      NDArray ac = a.sub(a.mean(new int[] {axis}, true));
      NDArray bc = b.sub(b.mean(new int[] {axis}, true));
      NDArray dot = ac.mul(bc).sum(new int[] {axis});
      NDArray na = ac.square().sum(new int[] {axis}).sqrt();
      NDArray nb = bc.square().sum(new int[] {axis}).sqrt();
      return dot.div(na.mul(nb).add(eps));
    }

    @Override
    public String toString() {
      return "dist(β=" + beta + ", γ=" + gamma + ", τ=" + tau + ")";
    }
  }
}
