package org.taqtir.strategy.response;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyInfo;

/**
 * {@code labels-only}: cross-entropy with the hard labels, the baseline every distillation method
 * must beat. Loss: {@code -1/B Σ_i Σ_c y'_ic log softmax(s_i)_c} with {@code y' = (1-ε)·y + ε/C}
 * (label smoothing ε, default 0: plain cross-entropy).
 */
public final class LabelsOnlyProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public LabelsOnlyProvider() {
    super(
        StrategyInfo.of("labels-only", Family.LABELS)
            .withParams(
                ParamDef.ofDouble(
                    "label_smoothing",
                    0.0,
                    new Range(0, true, 1, false),
                    "label smoothing ε (Szegedy et al. 2016); 0 = plain cross-entropy"))
            .withDescription("cross-entropy with the hard labels; the baseline (no teacher)")
            .withFormula(
                "L = -1/B Σ_i Σ_c y'_ic · log softmax(s_i)_c,  y' = (1-ε)·onehot(y) + ε/C"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params params) {
    return new CrossEntropy(params.getDouble("label_smoothing"));
  }

  private static final class CrossEntropy extends AbstractStrategy {
    private final double smoothing;

    CrossEntropy(double smoothing) {
      this.smoothing = smoothing;
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray target = batch.oneHot();
      if (smoothing > 0) {
        target =
            target.mul(constant(1 - smoothing)).add(constant(smoothing / context().numClasses()));
      }
      return student.logits().logSoftmax(1).mul(target).sum().mul(constant(-1.0 / batch.size()));
    }
  }
}
