package org.taqtir.api;

import java.util.Set;

/**
 * Discovers a distillation strategy. Register an implementation in {@code
 * META-INF/services/org.taqtir.api.StrategyProvider}.
 */
public interface StrategyProvider extends Plugin {

  /**
   * Returns the strategy's family.
   *
   * @return response, feature, relation, or labels for the label-only baseline
   */
  Family family();

  /**
   * Returns what the strategy needs from the training loop.
   *
   * @return the capabilities, never {@code null}
   */
  Set<Capability> capabilities();

  /**
   * Returns the feature taps a strategy built with these parameters reads. The core asks this
   * before it builds any model, to check that the student and the teacher expose the taps and to
   * cache the teacher's taps with its logits; nothing is instantiated to answer.
   *
   * @param params validated parameters with defaults filled in
   * @return the taps; {@link Taps#NONE} (the default) for strategies that read logits only
   */
  default Taps taps(Params params) {
    return Taps.NONE;
  }

  /**
   * Builds a strategy instance.
   *
   * @param params validated parameters with defaults filled in
   * @return a fresh strategy, owned by the caller, who closes it
   */
  DistillationStrategy create(Params params);

  /**
   * Declares that the strategy trains on generated text, and how the task makes it: by the teacher
   * before training (sequence-level KD) or by the student during training (on-policy KD).
   *
   * @param params the strategy's parameters
   * @return the generation, or null (the default) to train on the real training windows
   */
  default Generation generation(Params params) {
    return null;
  }
}
