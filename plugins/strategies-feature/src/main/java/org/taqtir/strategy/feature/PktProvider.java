package org.taqtir.strategy.feature;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.TapPair;

/**
 * {@code pkt}: Probabilistic Knowledge Transfer, Passalis &amp; Tefas (ECCV 2018),
 * arXiv:1803.10837.
 *
 * <p>Matches the conditional probability distributions the two feature spaces induce over the
 * batch, using the cosine kernel K(a, b) = (cos(a, b) + 1) / 2:
 *
 * <pre>
 *   P_ij = K(t_i, t_j) / Σ_j K(t_i, t_j)     Q_ij = K(s_i, s_j) / Σ_j K(s_i, s_j)
 *   L    = 1/B² Σ_ij P_ij · log((P_ij + ε) / (Q_ij + ε)),  ε = 1e-7
 * </pre>
 *
 * as in the authors' reference code (and RepDistiller's {@code PKT}). Widths may differ: only B × B
 * similarities are compared, so no adapter is needed.
 */
public final class PktProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public PktProvider() {
    super(
        StrategyInfo.of("pkt", Family.FEATURE, Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES)
            .withParams(TapPair.STUDENT_LAYER, TapPair.TEACHER_LAYER)
            .withDescription(
                "KL between cosine-kernel conditional distributions of student and teacher features")
            .withFormula(
                "L = 1/B² Σ_ij P_ij·log((P_ij+ε)/(Q_ij+ε)),  P, Q = row-normalised (cos+1)/2 kernels of teacher, student features")
            .withPaper(
                "Passalis & Tefas 2018, Learning Deep Representations with Probabilistic Knowledge"
                    + " Transfer, ECCV, arXiv:1803.10837"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Pkt(TapPair.of(p));
  }

  private static final class Pkt extends AbstractStrategy {
    private final TapPair taps;
    private NDArray eps;
    private NDArray half;
    private NDArray one;

    Pkt(TapPair taps) {
      this.taps = taps;
    }

    @Override
    protected void setUp(StrategyContext context) {
      eps = context.manager().create(1e-7f);
      half = context.manager().create(0.5f);
      one = context.manager().create(1f);
    }

    private NDArray conditional(NDArray f) {
      NDArray norm = f.square().sum(new int[] {1}, true).sqrt();
      NDArray unit = f.div(norm.add(eps));
      NDArray k = unit.matMul(unit.transpose()).add(one).mul(half);
      return k.div(k.sum(new int[] {1}, true));
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray q = conditional(taps.student(student));
      NDArray p = conditional(taps.teacher(teacher));
      return mean(p.mul(p.add(eps).div(q.add(eps)).log()));
    }
  }
}
