package org.taqtir.strategy.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Set;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.LinearAdapter;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Scalars;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.Taps;

/**
 * {@code hidden-state}: hidden-state transfer between language models of different widths, at every
 * counted position: a learned linear projection of a student layer's output is pulled towards a
 * teacher layer's output by mean squared error or by cosine distance (TinyBERT's and MiniLM's
 * hidden-state losses, Jiao et al. 2020; DistilBERT's cosine loss, Sanh et al. 2019). The layer
 * mapping is the study's: {@code student_layer: hidden2, teacher_layer: hidden4}.
 *
 * <pre>
 *   mse:    L = 1/N Σ_{b,t counted} 1/d_T ‖W·h_S + b − h_T‖²
 *   cosine: L = 1/N Σ_{b,t counted} (1 − cos(W·h_S + b, h_T))
 * </pre>
 *
 * The projection (d_S × d_T, Glorot-initialised) is trained with the student and discarded after.
 * Add a {@code next-token} term for the language-modelling loss.
 */
public final class HiddenStateProvider extends AbstractStrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofChoice("student_layer", "hidden1", List.of(), "the student tap, (B, T, d_S)"),
          ParamDef.ofChoice("teacher_layer", "hidden1", List.of(), "the teacher tap, (B, T, d_T)"),
          ParamDef.ofChoice(
              "loss",
              "mse",
              List.of("mse", "cosine"),
              "mse of the projection, or cosine distance"));

  /** Creates the provider. */
  public HiddenStateProvider() {
    super(
        StrategyInfo.of(
                "hidden-state", Family.FEATURE, Capability.NEEDS_TEACHER, Capability.NEEDS_FEATURES)
            .withParams(SPEC.params().toArray(ParamDef[]::new))
            .withTasks(TokenDivergenceProvider.TASK)
            .withDescription(
                "per-token hidden-state transfer through a learned projection (MSE or cosine)")
            .withFormula(
                "L = mean_tokens 1/d_T ‖W·h_S + b − h_T‖²   or   mean_tokens (1 − cos(W·h_S + b,"
                    + " h_T))")
            .withPaper(
                "Jiao et al. 2020, TinyBERT, Findings of EMNLP; Sanh et al. 2019, DistilBERT"
                    + " (cosine), arXiv:1910.01108"));
  }

  @Override
  public Taps taps(Params p) {
    return new Taps(Set.of(p.getString("student_layer")), Set.of(p.getString("teacher_layer")));
  }

  @Override
  protected DistillationStrategy newStrategy(Params params) {
    String sl = params.getString("student_layer");
    String tl = params.getString("teacher_layer");
    boolean cosine = "cosine".equals(params.getString("loss"));
    return new DistillationStrategy() {
      private Scalars scalars;
      private LinearAdapter projection;

      @Override
      public void prepare(StrategyContext context) {
        scalars = new Scalars(context.manager());
        long ds = last(context.studentTap(sl).getShape());
        long dt = last(context.teacherTap(tl).getShape());
        projection = LinearAdapter.create(context.manager(), ds, dt);
      }

      private long last(long[] shape) {
        return shape[shape.length - 1];
      }

      @Override
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        NDArray s = projection.apply(student.feature(sl));
        NDArray t = teacher.feature(tl);
        NDArray perPosition;
        if (cosine) {
          NDArray eps = scalars.of(1e-8f);
          NDArray dot = s.mul(t).sum(new int[] {2});
          NDArray norms = s.square().sum(new int[] {2}).mul(t.square().sum(new int[] {2}));
          // 1 − cos with the batch-managed array on the left: a run-long constant on the left
          // would attach every step's result to the run's manager
          perPosition = dot.div(norms.add(eps).sqrt()).neg().add(scalars.of(1f));
        } else {
          perPosition =
              s.sub(t).square().sum(new int[] {2}).div(scalars.of((float) t.getShape().get(2)));
        }
        NDArray mask = batch.labels().gte(0).toType(DataType.FLOAT32, false);
        return perPosition.mul(mask).sum().div(mask.sum().maximum(scalars.of(1f)));
      }

      @Override
      public List<NDArray> trainableParameters() {
        return projection.parameters();
      }

      @Override
      public String toString() {
        return "hidden-state(" + sl + " -> " + tl + ", " + params.getString("loss") + ")";
      }
    };
  }
}
