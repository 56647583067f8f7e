package org.taqtir.strategy.relation;

import ai.djl.ndarray.NDArray;
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
 * {@code rkd}: Relational Knowledge Distillation, Park, Kim, Lu, Cho (CVPR 2019), arXiv:1904.05068.
 *
 * <p>Distance-wise and angle-wise relations of the batch's embeddings, compared with the Huber
 * (smooth-L1, δ = 1) loss ℓ:
 *
 * <pre>
 *   ψ_D(i,j)   = ‖e_i − e_j‖ / μ,  μ = mean of the off-diagonal distances of the batch
 *   ψ_A(i,j,k) = cos∠(e_j − e_i, e_k − e_i)
 *   L = w_d · mean_ij ℓ(ψ_D^s, ψ_D^t) + w_a · mean_ijk ℓ(ψ_A^s, ψ_A^t)
 * </pre>
 *
 * Defaults w_d = 25, w_a = 50 follow the authors' code as used in RepDistiller's CIFAR benchmark
 * (the paper's λ_D = 1, λ_A = 2 keep the same 1:2 ratio). The angle term is computed from the B × B
 * Gram matrix (⟨e_j − e_i, e_k − e_i⟩ = G_jk − G_ij − G_ik + G_ii), never building the B × B × D
 * difference tensor: memory is O(B³) scalars, so batches above {@code max_batch} are refused with a
 * clear message instead of exhausting memory. Zero-length differences (j = i or k = i) give angle
 * 0, as {@code F.normalize} does.
 */
public final class RkdProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public RkdProvider() {
    super(
        StrategyInfo.of("rkd", Family.RELATION, Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES)
            .withParams(
                TapPair.STUDENT_LAYER,
                TapPair.TEACHER_LAYER,
                ParamDef.ofDouble("distance_weight", 25.0, Range.atLeast(0), "weight w_d of ψ_D"),
                ParamDef.ofDouble("angle_weight", 50.0, Range.atLeast(0), "weight w_a of ψ_A"),
                ParamDef.ofInt(
                    "max_batch",
                    512,
                    Range.atLeast(2),
                    "largest batch the O(B³) angle term accepts (512: 134 M floats)"))
            .withDescription(
                "Huber loss on normalised pairwise distances and triplet angles of embeddings")
            .withFormula(
                "L = w_d·mean_ij huber(ψ_D^s - ψ_D^t) + w_a·mean_ijk huber(ψ_A^s - ψ_A^t),  ψ_D = ‖e_i-e_j‖/μ, ψ_A = cos∠(e_j-e_i, e_k-e_i)")
            .withPaper(
                "Park et al. 2019, Relational Knowledge Distillation, CVPR, arXiv:1904.05068"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Rkd(
        TapPair.of(p),
        p.getDouble("distance_weight"),
        p.getDouble("angle_weight"),
        p.getInt("max_batch"));
  }

  private static final class Rkd extends AbstractStrategy {
    private final TapPair taps;
    private final double distanceWeight;
    private final double angleWeight;
    private final int maxBatch;
    private NDArray wd;
    private NDArray wa;
    private NDArray eps;
    private NDArray one;
    private NDArray half;
    private NDArray two;

    Rkd(TapPair taps, double distanceWeight, double angleWeight, int maxBatch) {
      this.taps = taps;
      this.distanceWeight = distanceWeight;
      this.angleWeight = angleWeight;
      this.maxBatch = maxBatch;
    }

    @Override
    protected void setUp(StrategyContext context) {
      if (angleWeight > 0 && context.batchSize() > maxBatch) {
        throw new IllegalArgumentException(
            "rkd: the angle term is O(B³) in memory; training.batch_size "
                + context.batchSize()
                + " exceeds max_batch "
                + maxBatch
                + " (lower the batch size, raise max_batch, or set angle_weight: 0)");
      }
      var m = context.manager();
      wd = m.create((float) distanceWeight);
      wa = m.create((float) angleWeight);
      eps = m.create(1e-12f);
      one = m.create(1f);
      half = m.create(0.5f);
      two = m.create(2f);
    }

    /** Pairwise squared distances from the Gram matrix, clamped at ε. */
    private NDArray squaredDistances(NDArray g) {
      NDArray diag = g.diagonal();
      return diag.expandDims(1).add(diag.expandDims(0)).sub(g.mul(two)).maximum(eps);
    }

    private NDArray normalisedDistances(NDArray e, NDArray offDiagonal, NDArray invPairs) {
      NDArray d = squaredDistances(e.matMul(e.transpose())).sqrt().mul(offDiagonal);
      NDArray mean = d.sum().mul(invPairs);
      return d.div(mean);
    }

    private NDArray angles(NDArray e, NDArray offDiagonal) {
      NDArray g = e.matMul(e.transpose());
      NDArray diag = g.diagonal();
      // dot[i,j,k] = G_jk − G_ij − G_ik + G_ii
      NDArray dot =
          g.expandDims(0).sub(g.expandDims(2)).sub(g.expandDims(1)).add(diag.reshape(-1, 1, 1));
      NDArray len = squaredDistances(g).sqrt(); // |e_j − e_i|, ≥ 1e-6 by the clamp
      NDArray denom = len.expandDims(2).mul(len.expandDims(1));
      // j = i or k = i: a zero-length side; the Gram identity leaves rounding noise there, so the
      // angle is set to 0 explicitly (F.normalize's convention).
      NDArray valid = offDiagonal.expandDims(2).mul(offDiagonal.expandDims(1));
      return dot.div(denom).mul(valid);
    }

    /** Huber with δ = 1, mean over all elements: ½·min(a,1)² + (a − min(a,1)), a = |x|. */
    private NDArray huber(NDArray x) {
      NDArray a = x.abs();
      NDArray c = a.minimum(one);
      return mean(c.square().mul(half).add(a.sub(c)));
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      int b = batch.size();
      if (b > maxBatch) {
        throw new IllegalArgumentException(
            "rkd: batch of " + b + " exceeds max_batch " + maxBatch + " (angle term is O(B³))");
      }
      NDArray s = taps.student(student);
      NDArray t = taps.teacher(teacher);
      var m = batch.manager();
      NDArray offDiagonal = m.ones(new ai.djl.ndarray.types.Shape(b, b)).sub(m.eye(b));
      NDArray invPairs = m.create(1f / (b * (b - 1f)));
      NDArray loss =
          huber(
                  normalisedDistances(s, offDiagonal, invPairs)
                      .sub(normalisedDistances(t, offDiagonal, invPairs)))
              .mul(wd);
      if (angleWeight > 0) {
        loss = loss.add(huber(angles(s, offDiagonal).sub(angles(t, offDiagonal))).mul(wa));
      }
      return loss;
    }
  }
}
