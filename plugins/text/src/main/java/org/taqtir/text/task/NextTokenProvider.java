package org.taqtir.text.task;

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
 * {@code next-token}: cross-entropy of the next token at every position, averaged over the batch's
 * positions (B·T, all predicted: windows are never padded): the language model's own loss and the
 * label-only baseline of language-model distillation.
 *
 * <pre>
 *   L = −1/(B·T) Σ_b Σ_t log softmax(s_bt)[y_bt]     (y: the next token)
 * </pre>
 *
 * With label smoothing ε the target is {@code (1−ε)·onehot(y) + ε/V}.
 */
public final class NextTokenProvider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofDouble(
              "label_smoothing",
              0.0,
              new Range(0, true, 1, false),
              "label smoothing ε; 0 = plain cross-entropy"));

  @Override
  public String id() {
    return "next-token";
  }

  @Override
  public Set<String> tasks() {
    return Set.of(LanguageModellingTask.ID);
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "next-token cross-entropy over every position; the baseline (no teacher)";
  }

  @Override
  public String formula() {
    return "L = -1/(B·T) Σ_bt log softmax(s_bt)[y_bt]   (smoothed: (1-ε)·onehot(y) + ε/V)";
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
    double smoothing = params.getDouble("label_smoothing");
    return new DistillationStrategy() {
      private Scalars scalars;
      private NDArray keep;
      private NDArray spread;
      private int vocabulary;

      @Override
      public void prepare(StrategyContext context) {
        scalars = new Scalars(context.manager());
        vocabulary = context.numClasses();
        keep = context.manager().create((float) (1 - smoothing));
        spread = context.manager().create((float) (smoothing / vocabulary));
      }

      @Override
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        NDArray logp = student.logits().logSoftmax(2);
        NDArray negInvN = scalars.of(-1f / batch.labels().size());
        if (smoothing > 0) {
          NDArray target = batch.labels().oneHot(vocabulary).mul(keep).add(spread);
          return logp.mul(target).sum().mul(negInvN);
        }
        NDArray y = batch.labels().expandDims(2).toType(ai.djl.ndarray.types.DataType.INT64, false);
        return logp.gather(y, 2).sum().mul(negInvN);
      }
    };
  }
}
