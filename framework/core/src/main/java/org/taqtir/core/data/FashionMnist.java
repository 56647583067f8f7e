package org.taqtir.core.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.taqtir.api.SampleRefs;

/**
 * Loads Fashion-MNIST (or any IDX data set with its file names) and splits it.
 *
 * <p>Files: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code
 * t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each taken with the {@code .gz} suffix
 * when that file exists, else without it (compression is detected from the content either way).
 *
 * <p>Split: the training file's indices {@code 0..N-1} are permuted by {@link Shuffle#permutation}
 * (Fisher–Yates) driven by {@code new SplittableRandom(splitSeed)}; the first {@code validation}
 * permuted samples form the validation split and the next ones (all the rest, or the next {@code
 * trainLimit}) the training split. Both keep the permuted order (the trainer reshuffles every
 * epoch), so a limit keeps a random subset, and the validation split does not depend on {@code
 * trainLimit}. The test split is the test file in file order, or its first {@code testLimit}
 * samples.
 *
 * <p>Every split knows its samples' rows in the original files ({@link Dataset#refs}): {@link
 * SampleRefs#TRAIN} numbers the training file, {@link SampleRefs#TEST} the test file, so
 * precomputed teacher outputs in file order line up with any split.
 */
public final class FashionMnist {

  /** Number of classes of Fashion-MNIST. */
  public static final int CLASSES = 10;

  /** Fashion-MNIST's class names, by label (Xiao, Rasul, Vollgraf 2017). */
  public static final java.util.List<String> CLASS_NAMES =
      java.util.List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private static final String[] FILES = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"
  };

  private FashionMnist() {}

  /**
   * Loads the splits an image study's {@code data:} block names, exactly as the study loads them.
   *
   * @param study a classification study of IDX images
   * @return train, validation and test
   * @throws IllegalArgumentException when the study's data is not IDX images
   */
  public static DataSplits load(org.taqtir.core.config.Study study) {
    if (!(study.data() instanceof org.taqtir.core.config.DataConfig d) || d.table() != null) {
      throw new IllegalArgumentException(
          "study " + study.name() + " does not read IDX images (task " + study.task() + ")");
    }
    return load(d.dir(), d.trainLimit(), d.testLimit(), d.validation(), d.splitSeed());
  }

  /**
   * Loads and splits the data set.
   *
   * @param dir directory with the four IDX files ({@code .gz} or raw)
   * @param trainLimit keep at most this many training samples after the validation split (0 = all)
   * @param testLimit keep at most this many test samples, the first in the file (0 = all)
   * @param validation size of the validation split, at least 1 and less than the training file's
   *     sample count
   * @param splitSeed seed of the train/validation permutation
   * @return the splits; {@link DataSplits#hash()} covers the content and order of all three
   * @throws IllegalArgumentException for a missing or corrupt file, a negative limit or a
   *     validation size out of range, in one line naming the file or the {@code data.*} field
   */
  public static DataSplits load(
      Path dir, int trainLimit, int testLimit, int validation, long splitSeed) {
    if (trainLimit < 0) {
      throw new IllegalArgumentException(
          "data.train_limit must be >= 0 (0 = all), found " + trainLimit);
    }
    if (testLimit < 0) {
      throw new IllegalArgumentException(
          "data.test_limit must be >= 0 (0 = all), found " + testLimit);
    }
    Path[] files = new Path[4];
    for (int i = 0; i < 4; i++) {
      files[i] = find(dir, FILES[i]);
    }
    Dataset all = IdxDataset.load(files[0], files[1], CLASSES).withSource(SampleRefs.TRAIN);
    Dataset test = IdxDataset.load(files[2], files[3], CLASSES).withSource(SampleRefs.TEST);
    if (!Arrays.equals(all.sampleDims(), test.sampleDims())) {
      throw new IllegalArgumentException(
          files[2].getFileName()
              + ": the test images are "
              + dims(test.sampleDims())
              + " but the training images ("
              + files[0].getFileName()
              + ") are "
              + dims(all.sampleDims())
              + "; both files must hold images of one shape");
    }
    if (validation < 1 || validation >= all.size()) {
      throw new IllegalArgumentException(
          "data.validation must be in [1, "
              + (all.size() - 1)
              + "] for "
              + all.size()
              + " training images, found "
              + validation);
    }
    int[] perm = Shuffle.permutation(all.size(), new SplittableRandom(splitSeed));
    int rest = all.size() - validation;
    int trainCount = trainLimit > 0 ? Math.min(trainLimit, rest) : rest;
    int[] valIdx = Arrays.copyOfRange(perm, 0, validation);
    int[] trainIdx = Arrays.copyOfRange(perm, validation, validation + trainCount);
    if (testLimit > 0 && testLimit < test.size()) {
      int[] idx = new int[testLimit];
      for (int i = 0; i < testLimit; i++) {
        idx[i] = i;
      }
      test = test.subset(idx);
    }
    Dataset train = all.subset(trainIdx);
    Dataset val = all.subset(valIdx);
    return new DataSplits(train, val, test, combine(train, val, test));
  }

  private static String dims(long[] d) {
    StringBuilder sb = new StringBuilder();
    for (long x : d) {
      sb.append(sb.length() == 0 ? "" : "×").append(x);
    }
    return sb.toString();
  }

  private static Path find(Path dir, String name) {
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(name);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    throw new IllegalArgumentException(
        "Fashion-MNIST not found in "
            + dir
            + ": missing "
            + name
            + ".gz; install the Debian package dataset-fashion-mnist (apt-get install"
            + " dataset-fashion-mnist) or set data.dir");
  }

  private static String combine(Dataset train, Dataset val, Dataset test) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          ("train="
                  + train.contentHash()
                  + ";val="
                  + val.contentHash()
                  + ";test="
                  + test.contentHash())
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
