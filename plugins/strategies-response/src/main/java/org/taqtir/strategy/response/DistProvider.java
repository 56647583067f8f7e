package org.taqtir.strategy.response;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
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
public final class DistProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public DistProvider() {
    super(
        StrategyInfo.of("dist", Family.RESPONSE, Capability.NEEDS_TEACHER)
            .withParams(
                ParamDef.ofDouble(
                    "beta", 1.0, Range.atLeast(0), "weight β of the inter-class term"),
                ParamDef.ofDouble(
                    "gamma", 1.0, Range.atLeast(0), "weight γ of the intra-class term"),
                ParamDef.ofDouble("tau", 1.0, Range.greaterThan(0), "softmax temperature τ"))
            .withDescription(
                "inter- and intra-class Pearson relations of softened outputs; add labels-only for"
                    + " CE")
            .withFormula(
                "L = β·τ²·(1 - mean_i ρ(Y_s[i,:], Y_t[i,:])) + γ·τ²·(1 - mean_c ρ(Y_s[:,c],"
                    + " Y_t[:,c]))",
                "Y = softmax(z/τ), ρ = Pearson correlation")
            .withPaper(
                "Huang et al. 2022, Knowledge Distillation from A Stronger Teacher, NeurIPS,"
                    + " arXiv:2205.10536"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Dist(p.getDouble("beta"), p.getDouble("gamma"), p.getDouble("tau"));
  }

  private static final class Dist extends AbstractStrategy {
    static final String TARGETS = "dist:softmax(t/τ)";
    static final String ROW_CENTRED = "dist:softmax(t/τ) - row mean";
    static final String ROW_NORM = "dist:‖softmax(t/τ) - row mean‖";

    private final double beta;
    private final double gamma;
    private final double tau;

    Dist(double beta, double gamma, double tau) {
      this.beta = beta;
      this.gamma = gamma;
      this.tau = tau;
    }

    /**
     * The teacher's side of the loss that depends on one sample only: Y_t = softmax(t/τ), its rows
     * centred, and their norms (the row-wise Pearson's teacher half). With cached teacher outputs
     * the trainer computes them once per run; the column-wise Pearson needs the batch, so it uses
     * Y_t.
     */
    @Override
    public Map<String, NDArray> teacherTargets(StepOutputs teacher, NDManager manager) {
      NDArray yt = teacher.logits().mul(constant(1 / tau)).softmax(1);
      NDArray centred = centre(yt, 1);
      return Map.of(TARGETS, yt, ROW_CENTRED, centred, ROW_NORM, norm(centred, 1));
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      Map<String, NDArray> t = targets(teacher, batch);
      NDArray ys = student.logits().mul(constant(1 / tau)).softmax(1);
      NDArray bc = centre(t.get(TARGETS), 0);
      // 1 - mean ρ, written -mean ρ + 1: a result lands in its left operand's manager, and
      // one.sub(x) put one array per step into the run's manager
      NDArray one = constant(1);
      NDArray inter = pearson(ys, t.get(ROW_CENTRED), t.get(ROW_NORM), 1).mean().neg().add(one);
      NDArray intra = pearson(ys, bc, norm(bc, 0), 0).mean().neg().add(one);
      return inter.mul(constant(beta * tau * tau)).add(intra.mul(constant(gamma * tau * tau)));
    }

    private static NDArray centre(NDArray a, int axis) {
      return a.sub(a.mean(new int[] {axis}, true));
    }

    private static NDArray norm(NDArray centred, int axis) {
      return centred.square().sum(new int[] {axis}).sqrt();
    }

    /**
     * Pearson correlation of matching slices of {@code a} and {@code b} along {@code axis} (1:
     * rows, 0: columns), given {@code b} already centred and its norms.
     */
    private NDArray pearson(NDArray a, NDArray bc, NDArray nb, int axis) {
      NDArray ac = centre(a, axis);
      NDArray dot = ac.mul(bc).sum(new int[] {axis});
      return dot.div(norm(ac, axis).mul(nb).add(constant(1e-8)));
    }
  }
}
