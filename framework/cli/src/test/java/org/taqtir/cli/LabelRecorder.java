package org.taqtir.cli;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/**
 * A test-only strategy, {@code record-labels}: contributes a zero loss and records the label of
 * every training sample the trainer hands to the student. Registered only through a class loader a
 * test sets up, so no other test sees it.
 */
public final class LabelRecorder implements StrategyProvider {

  /** Every label seen by any {@code record-labels} term since the last {@link Set#clear()}. */
  static final Set<Integer> SEEN = ConcurrentHashMap.newKeySet();

  /** Every label handed to a {@code record-labels} term, repeats kept, in order. */
  static final java.util.List<Integer> ALL =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  @Override
  public String id() {
    return "record-labels";
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
    return new DistillationStrategy() {
      private NDArray zero;

      @Override
      public void prepare(StrategyContext context) {
        zero = context.manager().create(0f);
      }

      @Override
      public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
        for (int label : batch.labels().toIntArray()) {
          SEEN.add(label);
          ALL.add(label);
        }
        return student.logits().sum().mul(zero);
      }
    };
  }
}
