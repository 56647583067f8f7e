package org.taqtir.strategy.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.LinearAdapter;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.TapPair;

/**
 * {@code vid}: Variational Information Distillation, Ahn, Hu, Damianou, Lawrence, Dai (CVPR 2019),
 * arXiv:1904.05835.
 *
 * <p>Maximises a variational lower bound on the mutual information between teacher and student
 * features by fitting a Gaussian q(t | s) = N(μ(s), diag σ²) to the teacher's tap:
 *
 * <pre>
 *   σ_d² = softplus(α_d) + ε,    L = 1/(B·d_t) Σ_i Σ_d ½ · ( (t_i,d − μ(s_i)_d)² / σ_d² + log σ_d² )
 * </pre>
 *
 * μ is a trainable linear map (the paper uses a small stack of 1×1 convolutions for conv features)
 * and α a trainable vector, initialised so σ² = {@code init_variance} (5.0, ε = 1e-5, as in the
 * authors' code used by RepDistiller's {@code VIDLoss}). The loss is a negative log-likelihood up
 * to a constant and can be negative.
 */
public final class VidProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public VidProvider() {
    super(
        StrategyInfo.of(
                "vid",
                Family.FEATURE,
                Capability.NEEDS_TEACHER,
                Capability.NEEDS_FEATURES,
                Capability.HAS_TRAINABLE_ADAPTERS)
            .withParams(
                TapPair.STUDENT_LAYER,
                TapPair.TEACHER_LAYER,
                ParamDef.ofDouble(
                    "init_variance", 5.0, Range.greaterThan(EPS), "initial predicted variance σ²"))
            .withDescription(
                "Gaussian NLL of a teacher tap under a learned mean and variance from a student tap")
            .withFormula(
                "L = 1/(B·d_t) Σ_i Σ_d ½·((t_i,d - μ(s_i)_d)²/σ_d² + log σ_d²),  σ² = softplus(α) + ε")
            .withPaper(
                "Ahn et al. 2019, Variational Information Distillation for Knowledge Transfer, CVPR,"
                    + " arXiv:1904.05835"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Vid(TapPair.of(p), p.getDouble("init_variance"));
  }

  private static final double EPS = 1e-5;

  private static final class Vid extends AbstractStrategy {
    private final TapPair taps;
    private final double initVariance;
    private LinearAdapter mean;
    private NDArray alpha;
    private NDArray eps;
    private NDArray one;
    private NDArray half;

    Vid(TapPair taps, double initVariance) {
      this.taps = taps;
      this.initVariance = initVariance;
    }

    @Override
    protected void setUp(StrategyContext context) {
      var m = context.manager();
      long ds = context.studentTap(taps.studentLayer()).size();
      long dt = context.teacherTap(taps.teacherLayer()).size();
      mean = LinearAdapter.create(m, ds, dt);
      // softplus(α) + ε = init_variance  ⇔  α = log(exp(init_variance − ε) − 1)
      float a = (float) Math.log(Math.expm1(initVariance - EPS));
      alpha = m.full(new Shape(dt), a);
      eps = m.create((float) EPS);
      one = m.create(1f);
      half = m.create(0.5f);
    }

    @Override
    public List<NDArray> trainableParameters() {
      return List.of(mean.weight(), mean.bias(), alpha);
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray fs = taps.student(student);
      NDArray ft = taps.teacher(teacher);
      NDArray mu = mean.apply(fs);
      // alpha lives in the run's manager, and a result in its left operand's: hand the first
      // result to the batch, or every step would keep one (d_t) array until training ends
      NDArray expAlpha = alpha.exp();
      expAlpha.attach(batch.manager());
      NDArray variance = expAlpha.add(one).log().add(eps);
      NDArray nll = mu.sub(ft).square().div(variance).add(variance.log()).mul(half);
      return mean(nll);
    }
  }
}
