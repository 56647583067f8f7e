package org.taqtir.strategy.feature;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.LinearAdapter;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.TapPair;

/**
 * {@code fitnets}: FitNets: Hints for Thin Deep Nets, Romero et al. (ICLR 2015), arXiv:1412.6550.
 *
 * <p>A trainable linear regressor r maps the student's guided layer onto the teacher's hint layer:
 *
 * <pre>
 *   L = 1/(B·d_t) Σ_i ‖ W·f_s,i + b − f_t,i ‖²        (mean squared error over batch and features)
 * </pre>
 *
 * The mean (rather than the paper's ½-sum) follows the common reference implementation
 * (RepDistiller's {@code HintLoss}, {@code nn.MSELoss}); weight it with the term's {@code weight}.
 * The regressor (W: d_s × d_t, Glorot-normal; b = 0) is created at preparation, when the taps'
 * widths are known, and trained with the student. With {@code regressor: none} the widths must
 * match, else the run fails before training and says which shapes met. Single-stage: add it to a
 * method's terms. The paper's two-stage schedule uses term epoch windows, e.g. {@code terms: [{id:
 * fitnets, until_epoch: 2}, {id: hinton-kd, from_epoch: 3}]}: in stage 1 only the hint term trains
 * the layers up to the guided one (the others get no gradient), then KD trains the whole student.
 */
public final class FitNetsProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public FitNetsProvider() {
    super(
        StrategyInfo.of(
                "fitnets",
                Family.FEATURE,
                Capability.NEEDS_TEACHER,
                Capability.NEEDS_FEATURES,
                Capability.HAS_TRAINABLE_ADAPTERS)
            .withParams(
                TapPair.STUDENT_LAYER,
                TapPair.TEACHER_LAYER,
                ParamDef.ofChoice(
                    "regressor",
                    "linear",
                    List.of("linear", "none"),
                    "adapter from the student tap to the teacher tap's width"))
            .withDescription(
                "MSE between a trainable linear map of a student tap and a teacher tap")
            .withFormula(
                "L = 1/(B·d_t) Σ_i ‖W·f_s,i + b - f_t,i‖²,  (W, b) trained with the student")
            .withPaper(
                "Romero et al. 2015, FitNets: Hints for Thin Deep Nets, ICLR, arXiv:1412.6550"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new FitNets(TapPair.of(p), p.getString("regressor"));
  }

  private static final class FitNets extends AbstractStrategy {
    private final TapPair taps;
    private final String regressor;
    private LinearAdapter regressorMap;

    FitNets(TapPair taps, String regressor) {
      this.taps = taps;
      this.regressor = regressor;
    }

    @Override
    protected void setUp(StrategyContext context) {
      long ds = context.studentTap(taps.studentLayer()).size();
      long dt = context.teacherTap(taps.teacherLayer()).size();
      if ("none".equals(regressor)) {
        if (ds != dt) {
          throw new IllegalArgumentException(
              "fitnets: student tap "
                  + taps.studentLayer()
                  + " "
                  + context.studentTap(taps.studentLayer())
                  + " and teacher tap "
                  + taps.teacherLayer()
                  + " "
                  + context.teacherTap(taps.teacherLayer())
                  + " differ; use regressor: linear");
        }
        return;
      }
      regressorMap = LinearAdapter.create(context.manager(), ds, dt);
    }

    @Override
    public List<NDArray> trainableParameters() {
      return regressorMap == null ? List.of() : regressorMap.parameters();
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray fs = taps.student(student);
      NDArray ft = taps.teacher(teacher);
      NDArray mapped = regressorMap == null ? fs : regressorMap.apply(fs);
      return mean(mapped.sub(ft).square());
    }
  }
}
