package org.taqtir.strategy.relation;

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
 * {@code sp}: Similarity-Preserving Knowledge Distillation, Tung &amp; Mori (ICCV 2019),
 * arXiv:1907.09682.
 *
 * <p>With F the batch's flattened features (B × d), G = F·Fᵀ and G̃ its rows L2-normalised:
 *
 * <pre>
 *   L = 1/B² · ‖ G̃_t − G̃_s ‖²_F
 * </pre>
 *
 * for one pair of taps (the paper sums over layer pairs; add one term per pair). The paper weights
 * the term with γ = 3000 on CIFAR-10: set it as the term's {@code weight}. Row normalisation uses ε
 * = 1e-12 like {@code F.normalize}.
 */
public final class SpProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public SpProvider() {
    super(
        StrategyInfo.of("sp", Family.RELATION, Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES)
            .withParams(TapPair.STUDENT_LAYER, TapPair.TEACHER_LAYER)
            .withDescription(
                "squared Frobenius distance of row-normalised batch similarity matrices")
            .withFormula("L = 1/B²·‖G̃_t - G̃_s‖²_F,  G̃ = row-L2-normalised F·Fᵀ")
            .withPaper(
                "Tung & Mori 2019, Similarity-Preserving Knowledge Distillation, ICCV,"
                    + " arXiv:1907.09682"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Sp(TapPair.of(p));
  }

  private static final class Sp extends AbstractStrategy {
    private final TapPair taps;
    private NDArray eps;

    Sp(TapPair taps) {
      this.taps = taps;
    }

    @Override
    protected void setUp(StrategyContext context) {
      eps = context.manager().create(1e-12f);
    }

    private NDArray similarity(NDArray f) {
      NDArray g = f.matMul(f.transpose());
      NDArray norm = g.square().sum(new int[] {1}, true).sqrt().maximum(eps);
      return g.div(norm);
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray diff = similarity(taps.teacher(teacher)).sub(similarity(taps.student(student)));
      NDArray invB2 = constant(1f / ((float) batch.size() * batch.size()));
      return diff.square().sum().mul(invB2);
    }
  }
}
