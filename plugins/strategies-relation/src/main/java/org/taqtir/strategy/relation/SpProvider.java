package org.taqtir.strategy.relation;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.TapPair;
import org.taqtir.api.Taps;

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
public final class SpProvider implements StrategyProvider {

  private static final ParamSpec SPEC = ParamSpec.of(TapPair.STUDENT_LAYER, TapPair.TEACHER_LAYER);

  @Override
  public String id() {
    return "sp";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "squared Frobenius distance of row-normalised batch similarity matrices";
  }

  @Override
  public String paper() {
    return "Tung & Mori 2019, Similarity-Preserving Knowledge Distillation, ICCV,"
        + " arXiv:1907.09682";
  }

  @Override
  public String formula() {
    return "L = 1/B²·‖G̃_t - G̃_s‖²_F,  G̃ = row-L2-normalised F·Fᵀ";
  }

  @Override
  public Family family() {
    return Family.RELATION;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES);
  }

  @Override
  public Taps taps(Params p) {
    return Taps.of(TapPair.of(p));
  }

  @Override
  public DistillationStrategy create(Params p) {
    return new Sp(TapPair.of(p));
  }

  private static final class Sp implements DistillationStrategy {
    private final TapPair taps;
    private NDArray eps;

    Sp(TapPair taps) {
      this.taps = taps;
    }

    private Scalars scalars;

    @Override
    public void prepare(StrategyContext context) {
      scalars = new Scalars(context.manager());
      eps = context.manager().create(1e-12f);
    }

    private NDArray similarity(NDArray f) {
      NDArray g = f.matMul(f.transpose());
      NDArray norm = g.square().sum(new int[] {1}, true).sqrt().maximum(eps);
      return g.div(norm);
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray diff = similarity(taps.teacher(teacher)).sub(similarity(taps.student(student)));
      NDArray invB2 = scalars.of(1f / ((float) batch.size() * batch.size()));
      return diff.square().sum().mul(invB2);
    }

    @Override
    public String toString() {
      return "sp(" + taps + ")";
    }
  }
}
