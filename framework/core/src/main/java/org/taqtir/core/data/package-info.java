/**
 * Data sets held in memory as plain arrays: the IDX reader and writer, Fashion-MNIST loading with a
 * seeded train/validation split, content hashes, and a small synthetic data set for tests.
 */
package org.taqtir.core.data;
