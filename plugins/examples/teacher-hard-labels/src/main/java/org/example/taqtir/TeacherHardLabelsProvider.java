package org.example.taqtir;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyProvider;

/**
 * {@code teacher-hard-labels}: cross-entropy with the teacher's arg-max labels instead of the true
 * labels, the "pseudo-label" transfer of model compression (Bucilă, Caruana, Niculescu-Mizil, KDD
 * 2006). Loss: {@code -1/B Σ_i log softmax(s_i)[argmax t_i]}.
 *
 * <p>An example of a plugin written outside Taqtir: one class, one line in {@code
 * META-INF/services/org.taqtir.api.StrategyProvider}, no change to Taqtir itself.
 */
public final class TeacherHardLabelsProvider implements StrategyProvider {

  @Override
  public String id() {
    return "teacher-hard-labels";
  }

  @Override
  public ParamSpec params() {
    return ParamSpec.EMPTY;
  }

  @Override
  public String description() {
    return "cross-entropy with the teacher's arg-max labels (example plugin)";
  }

  @Override
  public String paper() {
    return "Bucilă, Caruana, Niculescu-Mizil 2006, Model Compression, KDD";
  }

  @Override
  public String formula() {
    return "L = -1/B Σ_i log softmax(s_i)[argmax t_i]";
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
    return new DistillationStrategy() {
      @Override
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        int classes = (int) student.logits().getShape().get(1);
        NDArray target = teacher.logits().argMax(1).oneHot(classes);
        NDArray negInvB = batch.manager().create(-1f / batch.size());
        return student.logits().logSoftmax(1).mul(target).sum().mul(negInvB);
      }

      @Override
      public String toString() {
        return "teacher-hard-labels";
      }
    };
  }
}
