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
 * {@code labels-only}: cross-entropy with the hard labels, the baseline every distillation method
 * must beat. Loss: {@code -1/B Σ_i Σ_c y'_ic log softmax(s_i)_c} with {@code y' = (1-ε)·y + ε/C}
 * (label smoothing ε, default 0: plain cross-entropy).
 */
public final class LabelsOnlyProvider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofDouble(
              "label_smoothing",
              0.0,
              new Range(0, true, 1, false),
              "label smoothing ε (Szegedy et al. 2016); 0 = plain cross-entropy"));

  @Override
  public String id() {
    return "labels-only";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "cross-entropy with the hard labels; the baseline (no teacher)";
  }

  @Override
  public String formula() {
    return "L = -1/B Σ_i Σ_c y'_ic · log softmax(s_i)_c,  y' = (1-ε)·onehot(y) + ε/C";
  }

  @Override
  public Family family() {
    return Family.LABELS;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public DistillationStrategy create(Params params) {
    return new CrossEntropy(params.getDouble("label_smoothing"));
  }

  private static final class CrossEntropy implements DistillationStrategy {
    private final double smoothing;
    private NDArray keep;
    private NDArray spread;

    CrossEntropy(double smoothing) {
      this.smoothing = smoothing;
    }

    private Scalars scalars;

    @Override
    public void prepare(StrategyContext context) {
      scalars = new Scalars(context.manager());
      keep = context.manager().create((float) (1 - smoothing));
      spread = context.manager().create((float) (smoothing / context.numClasses()));
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray target = batch.oneHot();
      if (smoothing > 0) {
        target = target.mul(keep).add(spread);
      }
      NDArray negInvB = scalars.of(-1f / batch.size());
      return student.logits().logSoftmax(1).mul(target).sum().mul(negInvB);
    }

    @Override
    public String toString() {
      return "labels-only" + (smoothing > 0 ? "(ε=" + smoothing + ")" : "");
    }
  }
}
