package org.taqtir.core.data;

/**
 * Train, validation and test splits. Model selection reads validation only; the test split is read
 * once, by the final evaluation.
 *
 * @param train samples the student learns from
 * @param validation samples that select the epoch
 * @param test held-out samples for the final evaluation
 * @param hash SHA-256 (hex) of the UTF-8 text {@code train=<h>;val=<h>;test=<h>} made of the three
 *     splits' {@link Dataset#contentHash()}es, so it changes with any pixel, label or split change
 */
public record DataSplits(Dataset train, Dataset validation, Dataset test, String hash) {}
