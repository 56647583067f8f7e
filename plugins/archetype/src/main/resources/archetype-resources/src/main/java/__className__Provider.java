package ${package};

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
import org.taqtir.api.StrategyInfo;

/**
 * {@code ${strategyId}}: a starting point to replace with your method. As generated it is the
 * soft-target term of Hinton, Vinyals &amp; Dean (2015), "Distilling the Knowledge in a Neural
 * Network", arXiv:1503.02531:
 *
 * <pre>
 *   L = T² · 1/B Σ_i Σ_c p_ic · (log p_ic − log q_ic),   p = softmax(t/T), q = softmax(s/T)
 * </pre>
 *
 * <p>Cite your paper here, state the formula and where each default comes from (T = 4: the common
 * CIFAR setting of KD baselines, e.g. Tian et al. 2020). Taqtir finds this class through the line
 * in {@code META-INF/services/org.taqtir.api.StrategyProvider}; a study names it by its id. The
 * guide: docs/plugins.md in Taqtir.
 */
public final class ${className}Provider extends AbstractStrategyProvider {

  /** Registers the provider; keep it cheap, every provider is built to be listed. */
  public ${className}Provider() {
    super(
        StrategyInfo.of("${strategyId}", Family.RESPONSE, Capability.NEEDS_TEACHER)
            .withParams(
                ParamDef.ofDouble("temperature", 4.0, Range.greaterThan(0), "softmax temperature T"))
            .withDescription(
                "T²·KL(softmax(t/T) ‖ softmax(s/T)), batch-mean, no label term (generated from the"
                    + " archetype)")
            .withFormula("L = T²·1/B Σ_i KL(softmax(t_i/T) ‖ softmax(s_i/T))")
            .withPaper(
                "Hinton, Vinyals, Dean 2015, Distilling the Knowledge in a Neural Network,"
                    + " arXiv:1503.02531"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params params) {
    return new ${className}(params.getDouble("temperature"));
  }

  /**
   * The loss. Constants come from {@code constant(v)}, on the right of each operation: never call
   * {@code NDArray.mul/div/pow(Number)} on arrays in the graph, and never put a run-long constant
   * on the left (the result is attached to the left operand's manager).
   */
  static final class ${className} extends AbstractStrategy {
    private final double temperature;

    ${className}(double temperature) {
      this.temperature = temperature;
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray invT = constant(1 / temperature);
      NDArray logQ = student.logits().mul(invT).logSoftmax(1);
      NDArray logP = teacher.logits().mul(invT).logSoftmax(1);
      return logP.exp()
          .mul(logP.sub(logQ))
          .sum()
          .mul(constant(temperature * temperature / batch.size()));
    }
  }
}
