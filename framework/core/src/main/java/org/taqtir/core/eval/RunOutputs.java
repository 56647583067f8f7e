package org.taqtir.core.eval;

/**
 * What a task's evaluation of a model's selected weights produced, kept for the study's evaluation
 * (for classification, {@link ModelOutputs}: logits on every evaluation split and latencies).
 */
public interface RunOutputs {}
