package org.taqtir.core.data;

/**
 * Train, validation and test splits. Model selection reads validation only; the test split is read
 * once, by the final evaluation.
 *
 * @param train samples the student learns from
 * @param validation samples that select the epoch
 * @param test held-out samples for the final evaluation
 * @param hash SHA-256 over the three splits' content hashes
 */
public record DataSplits(Dataset train, Dataset validation, Dataset test, String hash) {}
