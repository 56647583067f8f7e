package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
 * positions (B·T: training windows are never padded; in an on-policy batch the prompt's positions
 * are padding, label −1, and the mean is over the others): the language model's own loss and the
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
        if (batch.labels().lt(0).any().getBoolean()) {
          return padded(logp, batch.labels());
        }
        NDArray negInvN = scalars.of(-1f / batch.labels().size());
        if (smoothing > 0) {
          NDArray target = batch.labels().oneHot(vocabulary).mul(keep).add(spread);
          return logp.mul(target).sum().mul(negInvN);
        }
        NDArray y = batch.labels().expandDims(2).toType(DataType.INT64, false);
        return logp.gather(y, 2).sum().mul(negInvN);
      }

      /**
       * The mean over the counted positions of a batch with padding (label −1: on-policy batches,
       * whose prompt positions are not predicted).
       */
      private NDArray padded(NDArray logp, NDArray labels) {
        NDArray mask = labels.gte(0).toType(DataType.FLOAT32, false);
        NDArray safe = labels.maximum(0);
        NDArray perPosition =
            smoothing > 0
                ? logp.mul(safe.oneHot(vocabulary).mul(keep).add(spread)).sum(new int[] {2})
                : logp.gather(safe.expandDims(2).toType(DataType.INT64, false), 2).squeeze(2);
        return perPosition.mul(mask).sum().neg().div(mask.sum().maximum(scalars.of(1f)));
      }
    };
  }
}
