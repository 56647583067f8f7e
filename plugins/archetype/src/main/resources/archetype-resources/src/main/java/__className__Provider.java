package ${package};

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
 * in {@code META-INF/services/org.taqtir.api.StrategyProvider}; a study names it by its id.
 */
public final class ${className}Provider implements StrategyProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofDouble("temperature", 4.0, Range.greaterThan(0), "softmax temperature T"));

  @Override
  public String id() {
    return "${strategyId}";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "T²·KL(softmax(t/T) ‖ softmax(s/T)), batch-mean (generated from the archetype)";
  }

  @Override
  public String paper() {
    return "Hinton, Vinyals, Dean 2015, Distilling the Knowledge in a Neural Network,"
        + " arXiv:1503.02531";
  }

  @Override
  public String formula() {
    return "L = T²·1/B Σ_i KL(softmax(t_i/T) ‖ softmax(s_i/T))";
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
  public DistillationStrategy create(Params params) {
    return new ${className}(params.getDouble("temperature"));
  }

  /**
   * The loss. Every constant multiplied into the gradient graph is an NDArray created once in
   * {@code prepare}: never call {@code NDArray.mul/div/pow(Number)} on arrays in the graph (on
   * DJL's PyTorch engine the temporary scalar can be freed before the backward pass).
   */
  static final class ${className} implements DistillationStrategy {
    private final double temperature;
    private NDArray invT;
    private NDArray tSquared;

    ${className}(double temperature) {
      this.temperature = temperature;
    }

    private Scalars scalars;

    @Override
    public void prepare(StrategyContext context) {
      scalars = new Scalars(context.manager());
      invT = context.manager().create((float) (1 / temperature));
      tSquared = context.manager().create((float) (temperature * temperature));
    }

    @Override
    public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray logQ = student.logits().mul(invT).logSoftmax(1);
      NDArray logP = teacher.logits().mul(invT).logSoftmax(1);
      NDArray invB = scalars.of(1f / batch.size());
      return logP.exp().mul(logP.sub(logQ)).sum().mul(invB).mul(tSquared);
    }

    @Override
    public String toString() {
      return "${strategyId}(T=" + temperature + ")";
    }
  }
}
