package org.taqtir.api;

/**
 * What a strategy needs from the training loop, declared so the core and the contract tests can
 * check or skip instead of guessing.
 */
public enum Capability {
  /** The strategy reads teacher outputs; without it the teacher is never run for this strategy. */
  NEEDS_TEACHER,
  /** The strategy reads named intermediate features (taps) of the student and/or the teacher. */
  NEEDS_FEATURES,
  /** The strategy reads the dataset indices of the samples in the batch (e.g. CRD memory). */
  NEEDS_SAMPLE_INDICES,
  /** The strategy owns trainable parameters (adapters) that join the student's optimiser. */
  HAS_TRAINABLE_ADAPTERS,
  /** The strategy keeps state across batches (e.g. a negative queue) with a bounded memory. */
  STATEFUL
}
