package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.core.config.Term;

/**
 * A run's loss: its bound terms, one strategy instance each (built when the run starts, closed when
 * it ends), and their weights as run-long arrays (never {@code mul(Number)} in the graph).
 */
final class Objective implements AutoCloseable {

  private final List<Term.Bound> terms;
  private final List<DistillationStrategy> strategies = new ArrayList<>();
  private final NDArray[] weights;

  Objective(List<Term.Bound> terms) {
    this.terms = List.copyOf(terms);
    this.weights = new NDArray[terms.size()];
    try {
      for (Term.Bound t : terms) {
        strategies.add(t.create());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int size() {
    return terms.size();
  }

  Term.Bound term(int i) {
    return terms.get(i);
  }

  DistillationStrategy strategy(int i) {
    return strategies.get(i);
  }

  boolean needsTeacher() {
    return terms.stream().anyMatch(Term.Bound::needsTeacher);
  }

  Set<String> studentTaps() {
    Set<String> taps = new LinkedHashSet<>();
    terms.forEach(t -> taps.addAll(t.taps().student()));
    return taps;
  }

  Set<String> teacherTaps() {
    Set<String> taps = new LinkedHashSet<>();
    terms.forEach(t -> taps.addAll(t.taps().teacher()));
    return taps;
  }

  /**
   * Prepares every strategy, collects their trainable arrays and makes the weights.
   *
   * @param context the run's context
   * @param trainable receives each strategy's trainable arrays, gradients required
   */
  void prepare(StrategyContext context, List<NDArray> trainable) {
    for (DistillationStrategy s : strategies) {
      s.prepare(context);
      for (NDArray a : s.trainableParameters()) {
        a.setRequiresGradient(true);
        trainable.add(a);
      }
    }
    NDManager manager = context.manager();
    for (int i = 0; i < terms.size(); i++) {
      weights[i] =
          terms.get(i).weight() == 1 ? null : manager.create((float) terms.get(i).weight());
    }
  }

  /**
   * Sums the active terms' weighted losses, inside the student's gradient collector.
   *
   * @param student the student's outputs
   * @param teacher each term's view of the teacher, null where it reads none
   * @param batch the batch
   * @return the scalar loss, attached to the graph
   */
  NDArray loss(StepOutputs student, List<StepOutputs> teacher, BatchContext batch) {
    NDArray total = null;
    for (int i = 0; i < terms.size(); i++) {
      if (!terms.get(i).activeAt(batch.epoch())) {
        continue;
      }
      NDArray term = strategies.get(i).loss(student, teacher.get(i), batch);
      if (weights[i] != null) {
        term = term.mul(weights[i]);
      }
      total = total == null ? term : total.add(term);
    }
    if (total == null) {
      throw new IllegalStateException(
          "no loss term is active in epoch " + (batch.epoch() + 1) + "; check the terms' epochs");
    }
    return total;
  }

  void afterStep() {
    for (DistillationStrategy s : strategies) {
      s.afterStep();
    }
  }

  /**
   * Returns each strategy's checkpoint state.
   *
   * @return one entry per term (null where none); {@code null} when a stateful strategy cannot save
   *     its state, so the run cannot be checkpointed
   */
  List<byte[]> states() {
    List<byte[]> states = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      byte[] state = strategies.get(i).checkpointState();
      if (state == null && terms.get(i).capabilities().contains(Capability.STATEFUL)) {
        return null;
      }
      states.add(state);
    }
    return states;
  }

  void restore(List<byte[]> states) {
    for (int i = 0; i < terms.size(); i++) {
      if (states.get(i) != null) {
        strategies.get(i).restoreState(states.get(i));
      }
    }
  }

  @Override
  public void close() {
    for (DistillationStrategy s : strategies) {
      s.close();
    }
  }
}
