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
 * {@code nst}: Neuron Selectivity Transfer, Huang &amp; Wang, Like What You Like: Knowledge Distill
 * via Neuron Selectivity Transfer (2017), arXiv:1707.01219.
 *
 * <p>Each channel's flattened map, L2-normalised over the h·w positions, is one sample of the
 * distribution of "neuron selectivity patterns"; the loss is the squared maximum mean discrepancy
 * between the student's C_s samples and the teacher's C_t samples with the polynomial kernel k(x,
 * y) = (xᵀy + c)^d, d = 2, c = 0 (the paper's best kernel):
 *
 * <pre>
 *   f_i,c = vec(A_i,c) / max(‖vec(A_i,c)‖₂, 1e-12)
 *   MMD²_i = 1/C_t² Σ_cc' k(t_c, t_c') + 1/C_s² Σ_cc' k(s_c, s_c') − 2/(C_s·C_t) Σ_cc' k(s_c, t_c')
 *   L     = β · 1/B Σ_i MMD²_i
 * </pre>
 *
 * as in RepDistiller's {@code NSTLoss} with {@code full_loss} (the teacher-teacher term is a
 * constant, kept so the loss is the true MMD², ≥ 0 and 0 when the maps are equal). Default β = 50,
 * the NST weight of RepDistiller's CIFAR-100 benchmark scripts (Tian et al., ICLR 2020); the paper
 * writes the term λ/2 · MMD², so β = λ/2. That weight was tuned for ResNets with batch
 * normalisation: on a small BN-free {@code cnn} trained by SGD at lr 0.05 it overwhelmed the label
 * term here (test accuracy at chance; 0.88 at lr 0.01, 0.84 with β = 10), so lower β or the
 * learning rate for such students.
 *
 * <p>Channel counts may differ (channels are the samples). The positions are the dimensions of each
 * sample, so spatial sizes must agree: the larger map is adaptive-average-pooled to the smaller
 * size first, as in RepDistiller.
 */
public final class NstProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public NstProvider() {
    super(
        StrategyInfo.of("nst", Family.FEATURE, Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES)
            .withParams(
                ParamDef.ofChoice(
                    "student_layer", "block2", List.of(), "student tap, a (C, H, W) map"),
                ParamDef.ofChoice(
                    "teacher_layer", "block2", List.of(), "teacher tap, a (C, H, W) map"),
                ParamDef.ofDouble(
                    "beta", 50.0, Range.atLeast(0), "weight β of the batch-mean MMD²"))
            .withDescription(
                "MMD² (polynomial kernel, d=2) between normalised channel maps of student and teacher")
            .withFormula(
                "L = β · mean_i [mean_cc' k(t_c,t_c') + mean_cc' k(s_c,s_c') − 2 mean_cc' k(s_c,t_c')],"
                    + "  k(x,y) = (xᵀy)², channel maps L2-normalised")
            .withPaper(
                "Huang & Wang 2017, Like What You Like: Knowledge Distill via Neuron Selectivity"
                    + " Transfer, arXiv:1707.01219"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Nst(TapPair.of(p), p.getDouble("beta"));
  }

  private static final class Nst extends AbstractStrategy {
    private final TapPair taps;
    private final double beta;
    private final SpatialMaps maps;
    private NDArray weight;
    private NDArray two;
    private NDArray epsSquared;

    Nst(TapPair taps, double beta) {
      this.taps = taps;
      this.beta = beta;
      this.maps = new SpatialMaps("nst", taps);
    }

    @Override
    protected void setUp(StrategyContext context) {
      maps.prepare(context);
      weight = context.manager().create((float) beta);
      two = context.manager().create(2f);
      epsSquared = context.manager().create(1e-24f);
    }

    /** (B, C, h, w) → (B, C, h·w), each channel's map of unit length. */
    private NDArray selectivity(NDArray a) {
      NDArray f = a.reshape(a.getShape().get(0), a.getShape().get(1), -1);
      return f.div(f.square().sum(new int[] {2}, true).maximum(epsSquared).sqrt());
    }

    /** Mean over batch and channel pairs of (xᵀy)². */
    private NDArray kernelMean(NDArray x, NDArray y) {
      return mean(x.matMul(y.transpose(0, 2, 1)).square());
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray s = selectivity(maps.student(student.feature(taps.studentLayer())));
      NDArray t = selectivity(maps.teacher(teacher.feature(taps.teacherLayer())));
      NDArray mmd = kernelMean(t, t).add(kernelMean(s, s)).sub(kernelMean(s, t).mul(two));
      return mmd.mul(weight);
    }
  }
}
