package org.taqtir.core.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Loads Fashion-MNIST (or any IDX data set with its file names) and splits it.
 *
 * <p>Split: the training file's indices are permuted by a Fisher–Yates shuffle driven by {@code new
 * SplittableRandom(splitSeed)}; the first {@code validation} permuted samples form the validation
 * split and the next ones (all, or {@code trainLimit}) the training split, kept in permuted order
 * (the trainer reshuffles every epoch). The test split is the test file in file order, or its first
 * {@code testLimit} samples.
 */
public final class FashionMnist {

  /** Number of classes of Fashion-MNIST. */
  public static final int CLASSES = 10;

  private static final String[] FILES = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"
  };

  private FashionMnist() {}

  /**
   * Loads and splits the data set.
   *
   * @param dir directory with the four IDX files ({@code .gz} or raw)
   * @param trainLimit keep at most this many training samples (0 = all)
   * @param testLimit keep at most this many test samples (0 = all)
   * @param validation size of the validation split, at least 1
   * @param splitSeed seed of the train/validation permutation
   * @return the splits
   * @throws IllegalArgumentException for a missing or corrupt file, or impossible sizes
   */
  public static DataSplits load(
      Path dir, int trainLimit, int testLimit, int validation, long splitSeed) {
    Path[] files = new Path[4];
    for (int i = 0; i < 4; i++) {
      files[i] = find(dir, FILES[i]);
    }
    Dataset all = IdxDataset.load(files[0], files[1], CLASSES);
    Dataset test = IdxDataset.load(files[2], files[3], CLASSES);
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
    int[] valIdx = java.util.Arrays.copyOfRange(perm, 0, validation);
    int[] trainIdx = java.util.Arrays.copyOfRange(perm, validation, validation + trainCount);
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
