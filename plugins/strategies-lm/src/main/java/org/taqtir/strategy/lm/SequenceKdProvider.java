package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Generation;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;

/**
 * {@code sequence-kd}: sequence-level knowledge distillation (Kim &amp; Rush 2016). The student is
 * trained with next-token cross-entropy on text the teacher generates: before training, the teacher
 * continues the first {@code prompt_tokens} tokens of a share of the training windows (all of them
 * with {@code real_fraction: 0}), greedily or by sampling; the rest stay real text. The generated
 * set is made once per (teacher, windows, decoding, seed) and cached ({@link Generation}); the
 * generation's time is logged apart from training time.
 *
 * <pre>
 *   L = −1/N Σ_{b,t counted} log p_S(ŷ_bt),   ŷ ~ teacher (greedy: the approximate mode)
 * </pre>
 *
 * Kim &amp; Rush take the teacher's beam-search output as the approximate mode ({@code decoding:
 * beam}, {@code beam_size} beams; they used 5); greedy decoding is beam search of width 1.
 */
public final class SequenceKdProvider extends AbstractStrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofChoice(
              "decoding",
              "greedy",
              List.of("greedy", "beam", "sample"),
              "greedy, beam (search of beam_size; Kim & Rush's approximate mode) or sample"),
          ParamDef.ofInt("beam_size", 4, Range.closed(2, 64), "beams kept (decoding: beam)"),
          ParamDef.ofDouble(
              "temperature", 1.0, Range.greaterThan(0), "sampling temperature (decoding: sample)"),
          ParamDef.ofInt("top_k", 0, Range.atLeast(0), "sample among the k most likely; 0 all"),
          ParamDef.ofDouble(
              "top_p", 1.0, new Range(0, false, 1, true), "nucleus sampling mass; 1 = all"),
          ParamDef.ofInt(
              "prompt_tokens", 16, Range.atLeast(1), "real tokens kept as the prompt per window"),
          ParamDef.ofDouble(
              "real_fraction",
              0.0,
              new Range(0, true, 1, false),
              "share of training windows left as real text"),
          ParamDef.ofInt("seed", 1, Range.atLeast(0), "the generation's seed"));

  /** Creates the provider. */
  public SequenceKdProvider() {
    super(
        StrategyInfo.of("sequence-kd", Family.RESPONSE)
            .withParams(SPEC.params().toArray(ParamDef[]::new))
            .withTasks(TokenDivergenceProvider.TASK)
            .withDescription(
                "sequence-level KD: next-token cross-entropy on text the teacher generates (cached)")
            .withFormula(
                "L = -mean_tokens log p_S(ŷ),  ŷ = teacher's continuation of a real prompt"
                    + " (greedy or sampled; a real_fraction of windows stays real text)")
            .withPaper("Kim & Rush 2016, Sequence-Level Knowledge Distillation, EMNLP"));
  }

  @Override
  public Generation generation(Params p) {
    boolean sampled = "sample".equals(p.getString("decoding"));
    return new Generation(
        Generation.By.TEACHER,
        1 - p.getDouble("real_fraction"),
        p.getInt("prompt_tokens"),
        sampled ? p.getDouble("temperature") : 0,
        sampled ? p.getInt("top_k") : 0,
        sampled ? p.getDouble("top_p") : 1,
        p.getInt("seed"),
        "beam".equals(p.getString("decoding")) ? p.getInt("beam_size") : 1);
  }

  @Override
  protected DistillationStrategy newStrategy(Params params) {
    return new DistillationStrategy() {
      private Scalars scalars;

      @Override
      public void prepare(StrategyContext context) {
        scalars = new Scalars(context.manager());
      }

      @Override
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        return crossEntropy(student.logits(), batch.labels(), scalars);
      }

      @Override
      public String toString() {
        return "sequence-kd" + params.values();
      }
    };
  }

  /**
   * Next-token cross-entropy averaged over the counted positions (a negative label is padding).
   *
   * @param logits {@code (B, T, V)}
   * @param labels {@code (B, T)}
   * @param scalars the run's scalar arrays
   * @return the loss
   */
  static NDArray crossEntropy(NDArray logits, NDArray labels, Scalars scalars) {
    NDArray mask = labels.gte(0).toType(DataType.FLOAT32, false);
    NDArray safe = labels.maximum(0).expandDims(2).toType(DataType.INT64, false);
    NDArray logp = logits.logSoftmax(2).gather(safe, 2).squeeze(2);
    NDArray count = mask.sum().maximum(scalars.of(1f));
    return logp.mul(mask).sum().neg().div(count);
  }
}
