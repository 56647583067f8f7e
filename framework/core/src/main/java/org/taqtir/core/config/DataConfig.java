package org.taqtir.core.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which data a study uses and how it is split.
 *
 * @param source the data set; only {@code "fashion-mnist"} (IDX files) for now
 * @param dir the directory holding the data files, absolute
 * @param trainLimit after the validation split is taken, keep only the next N shuffled training
 *     images; 0 means all (the validation split does not depend on it)
 * @param testLimit use only the first N test images; 0 means all
 * @param validation size of the validation split carved first from the shuffled training file, at
 *     least 1 and less than the file's sample count (checked when the data is loaded)
 * @param splitSeed seed of the shuffle that picks the validation split
 * @param transferExcludeClasses classes removed from the training split the students learn from
 *     (the transfer set): the omitted-class probe of Hinton et al. (2015, section 3). The teacher,
 *     the validation and the test splits keep them. Empty: none
 * @param labelled how many samples of the students' training split keep their label ({@code
 *     data.labelled}, chosen per class with {@code splitSeed}); the others are unlabelled: methods
 *     that read the teacher learn from all of them, label-only methods from the labelled ones only.
 *     0: every sample is labelled. The teacher is trained on all labels
 * @param transferLimit how many training samples the students learn from at all ({@code
 *     data.transfer_limit}, chosen per class with {@code splitSeed}; Hinton et al. 2015's "3 % of
 *     the data"); the teacher learns from all of them. 0: all
 * @param table the declared schema when {@code source} is {@code csv}, else {@code null}
 */
public record DataConfig(
    String source,
    Path dir,
    int trainLimit,
    int testLimit,
    int validation,
    long splitSeed,
    List<Integer> transferExcludeClasses,
    int labelled,
    int transferLimit,
    TableSchema table)
    implements DataSpec {

  /** The default source. */
  public static final String FASHION_MNIST = "fashion-mnist";

  /** A CSV table read through Tablesaw with a declared {@link TableSchema}. */
  public static final String CSV = "csv";

  /** Where Fashion-MNIST lives when {@code data.dir} is not given. */
  public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

  /** Checks that no reference is {@code null}. */
  public DataConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(dir, "dir");
    transferExcludeClasses = List.copyOf(transferExcludeClasses);
  }

  /**
   * An image (IDX) data config.
   *
   * @param source the data set
   * @param dir the data directory, absolute
   * @param trainLimit training samples kept, 0 for all
   * @param testLimit test samples kept, 0 for all
   * @param validation validation split size
   * @param splitSeed validation split seed
   * @param transferExcludeClasses classes removed from the students' transfer set
   */
  public DataConfig(
      String source,
      Path dir,
      int trainLimit,
      int testLimit,
      int validation,
      long splitSeed,
      List<Integer> transferExcludeClasses) {
    this(
        source,
        dir,
        trainLimit,
        testLimit,
        validation,
        splitSeed,
        transferExcludeClasses,
        0,
        0,
        null);
  }

  /**
   * A data config whose students learn from every training class.
   *
   * @param source the data set
   * @param dir the data directory, absolute
   * @param trainLimit training samples kept, 0 for all
   * @param testLimit test samples kept, 0 for all
   * @param validation validation split size
   * @param splitSeed validation split seed
   */
  public DataConfig(
      String source, Path dir, int trainLimit, int testLimit, int validation, long splitSeed) {
    this(source, dir, trainLimit, testLimit, validation, splitSeed, List.of(), 0, 0, null);
  }

  @Override
  public Map<String, Object> toYaml() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("source", source);
    if (table != null) {
      data.put("file", table.file().toString());
      data.put("target", table.target());
      if (!table.features().isEmpty()) {
        data.put("features", table.features());
      }
      data.put("categorical", table.categorical());
      if (table.group() != null) {
        data.put("group", table.group());
      }
      if (table.splitColumn() != null) {
        data.put("split_column", table.splitColumn());
      }
      data.put("validation", validation);
      data.put("test", table.testSize());
      data.put("split_seed", splitSeed);
      if (labelled > 0) {
        data.put("labelled", labelled);
      }
      if (transferLimit > 0) {
        data.put("transfer_limit", transferLimit);
      }
      if (table.binarize() != null) {
        data.put(
            "binarize_target",
            table.binarize().equals("median")
                ? "median"
                : (Object) Double.valueOf(table.binarize()));
      }
      return data;
    }
    data.put("dir", dir.toString());
    data.put("train_limit", trainLimit);
    data.put("test_limit", testLimit);
    data.put("validation", validation);
    data.put("split_seed", splitSeed);
    if (!transferExcludeClasses.isEmpty()) {
      data.put("transfer_exclude_classes", transferExcludeClasses);
    }
    if (labelled > 0) {
      data.put("labelled", labelled);
    }
    if (transferLimit > 0) {
      data.put("transfer_limit", transferLimit);
    }
    return data;
  }
}
