package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one model produced for one batch: logits and the named features (taps) that were asked for.
 *
 * <p>Ownership: the arrays belong to the batch's {@code NDManager} and are closed with it; a
 * strategy must not close them nor keep them past its {@code loss} call. Teacher outputs are always
 * detached from any gradient graph.
 *
 * @param logits pre-softmax scores, shape {@code (B, classes)}
 * @param features tap name to feature array, first dimension {@code B}; empty when none asked
 */
public record StepOutputs(NDArray logits, Map<String, NDArray> features) {

  /** Validates and copies. */
  public StepOutputs {
    Objects.requireNonNull(logits, "logits");
    features = Map.copyOf(features);
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
}
