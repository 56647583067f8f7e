package org.taqtir.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The declared schema of a CSV table ({@code data.source: csv}).
 *
 * @param file the CSV file, absolute; comma-separated with a header row
 * @param target the column holding the class
 * @param features the feature columns, in order; empty means every column except the target, the
 *     group and the split column
 * @param categorical the feature columns that are one-hot encoded (categories fixed from the
 *     training split); every other feature column must be numeric and is standardised with the
 *     training split's mean and standard deviation
 * @param group a column kept out of the features (unless listed in {@code features}) whose values
 *     name the groups of the disparity metrics, or {@code null}
 * @param splitColumn a column whose values ({@code train}, {@code validation}, {@code test}) give
 *     the split, or {@code null} to split by {@code data.split_seed}
 * @param testSize rows of the seeded test split; 0 means 20 % of the rows
 * @param binarize {@code null} to use the target's values as classes; {@code "median"} or a number
 *     to turn a numeric target into two classes, {@code 0: value <= threshold} and {@code 1: value
 *     > threshold}, the median taken over the training split
 */
public record TableSchema(
    Path file,
    String target,
    List<String> features,
    List<String> categorical,
    String group,
    String splitColumn,
    int testSize,
    String binarize) {

  /** Copies the lists and checks the required parts. */
  public TableSchema {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(target, "target");
    features = List.copyOf(features);
    categorical = List.copyOf(categorical);
  }
}
