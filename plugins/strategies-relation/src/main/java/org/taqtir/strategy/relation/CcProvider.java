package org.taqtir.strategy.relation;

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
import org.taqtir.api.TapPair;
import org.taqtir.api.Taps;

/**
 * {@code cc}: Correlation Congruence, Peng, Jin, Liu, Li, Wu, Liu, Zhou, Zhang (ICCV 2019),
 * arXiv:1904.01802.
 *
 * <p>Variant: the paper's kernel form with the Gaussian RBF computed exactly (the paper expands it
 * in a Taylor series of order P = 2 only for speed at ImageNet scale). With the batch's
 * L2-normalised embeddings f̂ and C_ij = exp(−γ · ‖f̂_i − f̂_j‖²):
 *
 * <pre>
 *   L = 1/B² · ‖ C_t − C_s ‖²_F
 * </pre>
 *
 * γ = 0.4 as in the paper. (RepDistiller's {@code Correlation} loss is a different, cheaper proxy
 * on consecutive samples; it is not this.) Widths may differ: only B × B matrices are compared.
 */
public final class CcProvider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          TapPair.STUDENT_LAYER,
          TapPair.TEACHER_LAYER,
          ParamDef.ofDouble("gamma", 0.4, Range.greaterThan(0), "RBF kernel width γ"));

  @Override
  public String id() {
    return "cc";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "squared distance of RBF-kernel correlation matrices of normalised embeddings";
  }

  @Override
  public String paper() {
    return "Peng et al. 2019, Correlation Congruence for Knowledge Distillation, ICCV,"
        + " arXiv:1904.01802";
  }

  @Override
  public String formula() {
    return "L = 1/B²·‖C_t - C_s‖²_F,  C_ij = exp(-γ·‖f̂_i - f̂_j‖²), f̂ = L2-normalised embedding";
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
    return new Cc(TapPair.of(p), p.getDouble("gamma"));
  }

  private static final class Cc implements DistillationStrategy {
    private final TapPair taps;
    private final double gamma;
    private NDArray negGamma;
    private NDArray eps;
    private NDArray two;
    private NDArray zero;

    Cc(TapPair taps, double gamma) {
      this.taps = taps;
      this.gamma = gamma;
    }

    private Scalars scalars;

    @Override
    public void prepare(StrategyContext context) {
      scalars = new Scalars(context.manager());
      var m = context.manager();
      negGamma = m.create((float) -gamma);
      eps = m.create(1e-12f);
      two = m.create(2f);
      zero = m.create(0f);
    }

    private NDArray correlation(NDArray f) {
      NDArray unit = f.div(f.square().sum(new int[] {1}, true).sqrt().maximum(eps));
      // ‖a − b‖² = 2 − 2·a·b for unit vectors; clamped at 0 against rounding.
      NDArray d2 = two.sub(unit.matMul(unit.transpose()).mul(two)).maximum(zero);
      return d2.mul(negGamma).exp();
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray diff = correlation(taps.teacher(teacher)).sub(correlation(taps.student(student)));
      NDArray invB2 = scalars.of(1f / ((float) batch.size() * batch.size()));
      return diff.square().sum().mul(invB2);
    }

    @Override
    public String toString() {
      return "cc(" + taps + ", γ=" + gamma + ")";
    }
  }
}
