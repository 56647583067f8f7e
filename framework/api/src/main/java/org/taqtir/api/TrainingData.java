package org.taqtir.api;

import java.util.List;
import java.util.Objects;

/**
 * The study's training split as plain arrays, for models that are fitted rather than trained by the
 * DJL loop: a Tribuo teacher fitted when the study starts, or a {@link ClassicalStudent}.
 *
 * @param features row-major {@code (rows, featureSize)} values, as the students see them (for a CSV
 *     table: one-hot categoricals and standardised numerics); not copied, do not modify
 * @param featureSize values per sample
 * @param labels one class index per row, in {@code [0, numClasses)}; not copied
 * @param numClasses number of classes
 * @param featureNames one name per feature value, e.g. {@code bmi} or {@code sex=2}
 * @param hash a content hash of the split (changes with any value, label or order)
 */
public record TrainingData(
    float[] features,
    int featureSize,
    int[] labels,
    int numClasses,
    List<String> featureNames,
    String hash) {

  /** Checks that the sizes agree. */
  public TrainingData {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(hash, "hash");
    featureNames = List.copyOf(featureNames);
    if ((long) labels.length * featureSize != features.length) {
      throw new IllegalArgumentException(
          "features have "
              + features.length
              + " values, expected "
              + labels.length
              + " x "
              + featureSize);
    }
    if (featureNames.size() != featureSize) {
      throw new IllegalArgumentException(
          featureNames.size() + " feature names for " + featureSize + " features");
    }
  }

  /**
   * Returns the number of rows.
   *
   * @return N
   */
  public int size() {
    return labels.length;
  }
}
