package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What one model produced for one batch: logits, the named features (taps) that were asked for,
 * and, for teacher outputs, the targets a strategy derived from them in advance.
 *
 * <p>Ownership: the arrays belong to the batch's {@code NDManager} and are closed with it; a
 * strategy must not close them nor keep them past its {@code loss} call. Teacher outputs are always
 * detached from any gradient graph.
 *
 * @param logits pre-softmax scores, shape {@code (B, classes)} (for a sequence task {@code (B, T,
 *     vocabulary)})
 * @param features tap name to feature array, first dimension {@code B}; empty when none asked
 * @param targets for teacher outputs: this strategy's {@link DistillationStrategy#teacherTargets}
 *     rows for the batch, by the names it returned, when the loop computed them once per run from
 *     cached teacher outputs; empty otherwise (a live teacher, or student outputs)
 */
public record StepOutputs(
    NDArray logits, Map<String, NDArray> features, Map<String, NDArray> targets) {

  /** Validates and copies. */
  public StepOutputs {
    Objects.requireNonNull(logits, "logits");
    features = Map.copyOf(features);
    targets = Map.copyOf(targets);
  }

  /**
   * Outputs without precomputed targets.
   *
   * @param logits pre-softmax scores
   * @param features tap name to feature array
   */
  public StepOutputs(NDArray logits, Map<String, NDArray> features) {
    this(logits, features, Map.of());
  }

  /**
   * Returns a named feature.
   *
   * @param tap the tap name, e.g. {@code "hidden1"}
   * @return the feature array, owned by the batch manager
   * @throws IllegalArgumentException when the tap was not produced, listing those that were
   */
  public NDArray feature(String tap) {
    NDArray f = features.get(tap);
    if (f == null) {
      throw new IllegalArgumentException(
          "no feature tap '" + tap + "'; available: " + Set.copyOf(features.keySet()));
    }
    return f;
  }

  /**
   * Returns the precomputed targets, or computes them now when there are none (a live teacher): the
   * one line a strategy with {@link DistillationStrategy#teacherTargets} needs in its {@code loss},
   * e.g. {@code teacher.targetsOr(this::teacherTargets, batch.manager())}.
   *
   * @param compute the strategy's {@code teacherTargets}
   * @param manager the batch manager, where computed targets go
   * @return the targets by name
   */
  public Map<String, NDArray> targetsOr(
      BiFunction<StepOutputs, NDManager, Map<String, NDArray>> compute, NDManager manager) {
    return targets.isEmpty() ? compute.apply(this, manager) : targets;
  }

  /**
   * Returns these outputs with targets attached.
   *
   * @param targets the targets by name
   * @return a new record sharing the logits and features
   */
  public StepOutputs withTargets(Map<String, NDArray> targets) {
    return new StepOutputs(logits, features, targets);
  }
}
