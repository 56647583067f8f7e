package org.example.taqtir;

import ai.djl.ndarray.NDArray;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyInfo;

/**
 * {@code teacher-hard-labels}: cross-entropy with the teacher's arg-max labels instead of the true
 * labels, the "pseudo-label" transfer of model compression (Bucilă, Caruana, Niculescu-Mizil, KDD
 * 2006). Loss: {@code -1/B Σ_i log softmax(s_i)[argmax t_i]}.
 *
 * <p>An example of a plugin written outside Taqtir: one class, one line in {@code
 * META-INF/services/org.taqtir.api.StrategyProvider}, no change to Taqtir itself.
 */
public final class TeacherHardLabelsProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public TeacherHardLabelsProvider() {
    super(
        StrategyInfo.of("teacher-hard-labels", Family.RESPONSE, Capability.NEEDS_TEACHER)
            .withDescription("cross-entropy with the teacher's arg-max labels (example plugin)")
            .withFormula("L = -1/B Σ_i log softmax(s_i)[argmax t_i]")
            .withPaper("Bucilă, Caruana, Niculescu-Mizil 2006, Model Compression, KDD"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params params) {
    return new TeacherHardLabels();
  }

  private static final class TeacherHardLabels extends AbstractStrategy {
    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray target = teacher.logits().argMax(1).oneHot(context().numClasses());
      return student.logits().logSoftmax(1).mul(target).sum().mul(constant(-1.0 / batch.size()));
    }
  }
}
