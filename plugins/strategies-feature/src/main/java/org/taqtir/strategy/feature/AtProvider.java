package org.taqtir.strategy.feature;

import ai.djl.ndarray.NDArray;
import java.util.List;
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
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.TapPair;

/**
 * {@code at}: Attention Transfer, Zagoruyko &amp; Komodakis, Paying More Attention to Attention
 * (ICLR 2017), arXiv:1612.03928.
 *
 * <p>The activation-based spatial attention map of a feature map A {@code (B, C, H, W)} is the mean
 * over channels of |A|^p, flattened and L2-normalised per sample; the loss is the squared
 * difference of the student's and the teacher's maps:
 *
 * <pre>
 *   Q(A)_i = vec(1/C Σ_c |A_i,c|^p) / max(‖vec(1/C Σ_c |A_i,c|^p)‖₂, 1e-12)
 *   L      = β/2 · 1/(B·h·w) Σ_i ‖Q(A_s)_i − Q(A_t)_i‖²₂
 * </pre>
 *
 * This is exactly the authors' reference code ({@code szagoruyko/attention-transfer}, {@code
 * utils.py}: {@code at(x) = F.normalize(x.pow(2).mean(1).view(B, -1))}, {@code at_loss = (at(x) −
 * at(y)).pow(2).mean()}, added to the loss as {@code β/2 · Σ at_loss}): the mean runs over the
 * batch <em>and</em> the h·w positions, so it is 1/(h·w) times the per-sample ‖·‖² of the paper's
 * Eq. 2 (which also omits the square on the norm). Defaults: p = 2 and β = 1000, the paper's code
 * defaults. RepDistiller's {@code Attention} is the same map and mean, weighted by β without the ½.
 *
 * <p>Channel counts may differ (the map averages them away). When the spatial sizes differ, the
 * larger feature map is adaptive-average-pooled to the smaller size before the maps are taken, as
 * in RepDistiller. One term transfers one pair of maps; the paper's sum over several block pairs is
 * several {@code at} terms in a method.
 */
public final class AtProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public AtProvider() {
    super(
        StrategyInfo.of("at", Family.FEATURE, Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES)
            .withParams(
                ParamDef.ofChoice(
                    "student_layer", "block2", List.of(), "student tap, a (C, H, W) map"),
                ParamDef.ofChoice(
                    "teacher_layer", "block2", List.of(), "teacher tap, a (C, H, W) map"),
                ParamDef.ofDouble("p", 2.0, Range.greaterThan(0), "exponent of |A| in the map"),
                ParamDef.ofDouble(
                    "beta",
                    1000.0,
                    Range.atLeast(0),
                    "weight β (the loss is β/2 · mean squared gap)"))
            .withDescription(
                "squared gap between L2-normalised spatial attention maps (mean_c |A|^p)")
            .withFormula(
                "L = β/2 · 1/(B·h·w) Σ_i ‖Q_s,i − Q_t,i‖²,  Q = vec(mean_c |A|^p) / ‖·‖₂;"
                    + " larger map average-pooled to the smaller")
            .withPaper(
                "Zagoruyko & Komodakis 2017, Paying More Attention to Attention, ICLR,"
                    + " arXiv:1612.03928"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new At(TapPair.of(p), p.getDouble("p"), p.getDouble("beta"));
  }

  private static final class At extends AbstractStrategy {
    private final TapPair taps;
    private final double p;
    private final double beta;
    private final SpatialMaps maps;
    private NDArray exponent;
    private NDArray halfBeta;
    private NDArray epsSquared;

    At(TapPair taps, double p, double beta) {
      this.taps = taps;
      this.p = p;
      this.beta = beta;
      this.maps = new SpatialMaps("at", taps);
    }

    @Override
    protected void setUp(StrategyContext context) {
      maps.prepare(context);
      exponent = context.manager().create((float) p);
      halfBeta = context.manager().create((float) (beta / 2));
      epsSquared = context.manager().create(1e-24f);
    }

    /** Q(A): (B, C, h, w) → (B, h·w), unit rows. */
    private NDArray attention(NDArray a) {
      NDArray powered = p == 2 ? a.square() : a.abs().pow(exponent);
      NDArray q = mean(powered, 1);
      q = q.reshape(q.getShape().get(0), -1);
      // max(‖q‖, ε) as sqrt(max(‖q‖², ε²)): no 0·∞ in the backward pass of an all-zero map.
      return q.div(q.square().sum(new int[] {1}, true).maximum(epsSquared).sqrt());
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray qs = attention(maps.student(student.feature(taps.studentLayer())));
      NDArray qt = attention(maps.teacher(teacher.feature(taps.teacherLayer())));
      return mean(qs.sub(qt).square()).mul(halfBeta);
    }
  }
}
