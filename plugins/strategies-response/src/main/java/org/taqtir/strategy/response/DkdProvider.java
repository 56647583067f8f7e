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
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/**
 * {@code dkd}: Decoupled Knowledge Distillation, Zhao, Cui, Song, Qiu, Liang (CVPR 2022),
 * arXiv:2203.08679.
 *
 * <p>The KD term is split into target-class and non-target-class parts, with p = softmax(t/T), q =
 * softmax(s/T), b = (p_gt, 1 − p_gt) the binary target/non-target probabilities and p̂, q̂ the
 * softmax over the non-target classes only:
 *
 * <pre>
 *   TCKD = T² · 1/B Σ_i KL(b_t,i ‖ b_s,i)
 *   NCKD = T² · 1/B Σ_i KL(p̂_i ‖ q̂_i)
 *   L    = w(epoch) · (α · TCKD + β · NCKD),   w = min((epoch+1) / warmup_epochs, 1)
 * </pre>
 *
 * This term carries no label cross-entropy: compose it with {@code labels-only} (the paper's {@code
 * ce_loss_weight} = 1). Defaults α = 1, β = 8, T = 4, warm-up 20 epochs are the paper's CIFAR-100
 * settings (its official code, mdistiller). log(1 − p_gt) is computed as a difference of
 * log-sum-exps from log-softmax, so it stays finite when p_gt → 1. With {@code standardize: true}
 * both logit vectors are Z-scored first ({@link LogitStandardization}). With β·T² = 128 the
 * non-target term dominates early training: without the warm-up a plain MLP trained by SGD at lr
 * 0.05 collapsed to chance here, which is why the paper ramps it in.
 */
public final class DkdProvider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofDouble("alpha", 1.0, Range.atLeast(0), "weight α of the target-class term"),
          ParamDef.ofDouble("beta", 8.0, Range.atLeast(0), "weight β of the non-target term"),
          ParamDef.ofDouble("temperature", 4.0, Range.greaterThan(0), "softmax temperature T"),
          ParamDef.ofInt(
              "warmup_epochs",
              20,
              Range.atLeast(0),
              "epochs over which the term's weight ramps linearly to 1 (0: none)"),
          LogitStandardization.PARAM);

  @Override
  public String id() {
    return "dkd";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "decoupled KD: α·TCKD + β·NCKD with linear warm-up; add labels-only for the CE term";
  }

  @Override
  public String paper() {
    return "Zhao et al. 2022, Decoupled Knowledge Distillation, CVPR, arXiv:2203.08679";
  }

  @Override
  public String formula() {
    return "L = min((epoch+1)/warmup, 1)·T²·1/B Σ_i [α·KL(b_t ‖ b_s) + β·KL(p̂_t ‖ p̂_s)],  b = (p_gt, 1-p_gt), p̂ = non-target softmax";
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
    return new Dkd(
        p.getDouble("alpha"),
        p.getDouble("beta"),
        p.getDouble("temperature"),
        p.getInt("warmup_epochs"),
        p.getBoolean("standardize"));
  }

  private static final class Dkd implements DistillationStrategy {
    private final double alpha;
    private final double beta;
    private final double temperature;
    private final int warmup;
    private final boolean standardize;
    private NDArray eps;
    private NDArray invT;
    private NDArray alphaT2;
    private NDArray betaT2;
    private NDArray mask;

    Dkd(double alpha, double beta, double temperature, int warmup, boolean standardize) {
      this.standardize = standardize;
      this.alpha = alpha;
      this.beta = beta;
      this.temperature = temperature;
      this.warmup = warmup;
    }

    private Scalars scalars;

    @Override
    public void prepare(StrategyContext context) {
      scalars = new Scalars(context.manager());
      var m = context.manager();
      double t2 = temperature * temperature;
      invT = m.create((float) (1 / temperature));
      alphaT2 = m.create((float) (alpha * t2));
      betaT2 = m.create((float) (beta * t2));
      mask = m.create(1000f);
      eps = m.create(1e-7f);
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray gt = batch.oneHot();
      NDArray offset = gt.mul(mask);
      NDArray s = student.logits();
      NDArray t = teacher.logits();
      if (standardize) {
        s = LogitStandardization.zscore(s, eps, batch.manager());
        t = LogitStandardization.zscore(t, eps, batch.manager());
      }
      NDArray zs = s.mul(invT);
      NDArray zt = t.mul(invT);
      NDArray logQ = zs.logSoftmax(1);
      NDArray logP = zt.logSoftmax(1);
      // Binary target / non-target log-probabilities.
      NDArray logQgt = logQ.mul(gt).sum(new int[] {1});
      NDArray logPgt = logP.mul(gt).sum(new int[] {1});
      NDArray logQother = logSumExp(zs.sub(offset)).sub(logSumExp(zs));
      NDArray logPother = logSumExp(zt.sub(offset)).sub(logSumExp(zt));
      NDArray pgt = logPgt.exp();
      NDArray pother = logPother.exp();
      NDArray tckd = pgt.mul(logPgt.sub(logQgt)).add(pother.mul(logPother.sub(logQother))).sum();
      // Non-target distributions: the target logit pushed to -1000 before the softmax.
      NDArray logQhat = zs.sub(offset).logSoftmax(1);
      NDArray logPhat = zt.sub(offset).logSoftmax(1);
      NDArray nckd = logPhat.exp().mul(logPhat.sub(logQhat)).sum();
      double w = warmup == 0 ? 1.0 : Math.min((batch.epoch() + 1) / (double) warmup, 1.0);
      NDArray scale = scalars.of((float) (w / batch.size()));
      return tckd.mul(alphaT2).add(nckd.mul(betaT2)).mul(scale);
    }

    /** log Σ_j exp(v_j) per row, via v_j − logSoftmax(v)_j (equal for every j; averaged). */
    private static NDArray logSumExp(NDArray v) {
      return v.sub(v.logSoftmax(1)).mean(new int[] {1});
    }

    @Override
    public String toString() {
      return "dkd(α=" + alpha + ", β=" + beta + ", T=" + temperature + ")";
    }
  }
}
