package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  private static final Path REAL = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path dir;

  private Path tiny() throws IOException {
    return Synthetic.writeTinyFashionLike(dir.resolve("d"), 300, 50, 1);
  }

  /** Identifies samples by pixels and label (synthetic images are all distinct). */
  private static Set<String> rows(Dataset d) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      s.add(
          d.labels()[i]
              + ":"
              + Arrays.toString(Arrays.copyOfRange(d.pixels(), i * 784, (i + 1) * 784)));
    }
    return s;
  }

  @Test
  void splitIsSeededDisjointAndComplete() throws IOException {
    Path d = tiny();
    DataSplits a = FashionMnist.load(d, 0, 0, 60, 7);
    DataSplits b = FashionMnist.load(d, 0, 0, 60, 7);
    DataSplits c = FashionMnist.load(d, 0, 0, 60, 8);
    assertEquals(240, a.train().size());
    assertEquals(60, a.validation().size());
    assertEquals(50, a.test().size());
    assertArrayEquals(a.train().pixels(), b.train().pixels());
    assertArrayEquals(a.validation().labels(), b.validation().labels());
    assertEquals(a.hash(), b.hash());
    assertNotEquals(a.hash(), c.hash(), "another split seed, another split");
    assertNotEquals(a.validation().contentHash(), c.validation().contentHash());
    assertEquals(a.test().contentHash(), c.test().contentHash(), "the test split is not shuffled");

    Set<String> all =
        rows(
            IdxDataset.load(
                d.resolve("train-images-idx3-ubyte.gz"), d.resolve("train-labels-idx1-ubyte.gz")));
    assertEquals(300, all.size());
    Set<String> train = rows(a.train());
    Set<String> val = rows(a.validation());
    Set<String> union = new HashSet<>(train);
    union.addAll(val);
    assertEquals(all, union, "train and validation together are the whole training file");
    train.retainAll(val);
    assertTrue(train.isEmpty(), "validation and training never share a sample");
  }

  @Test
  void splitIsTheDocumentedFisherYatesPermutation() throws IOException {
    Path d = tiny();
    DataSplits s = FashionMnist.load(d, 0, 0, 60, 7);
    Dataset all =
        IdxDataset.load(
            d.resolve("train-images-idx3-ubyte.gz"), d.resolve("train-labels-idx1-ubyte.gz"), 10);
    int[] perm = Shuffle.permutation(300, new java.util.SplittableRandom(7));
    assertEquals(
        all.subset(Arrays.copyOfRange(perm, 0, 60)).contentHash(), s.validation().contentHash());
    assertEquals(
        all.subset(Arrays.copyOfRange(perm, 60, 300)).contentHash(), s.train().contentHash());
    assertFalse(
        Arrays.equals(perm, IntStream.range(0, 300).toArray()), "the permutation is not identity");
  }

  @Test
  void limitsKeepTheFirstPermutedTrainingAndFirstTestSamples() throws IOException {
    Path d = tiny();
    DataSplits full = FashionMnist.load(d, 0, 0, 60, 7);
    DataSplits small = FashionMnist.load(d, 100, 20, 60, 7);
    assertEquals(100, small.train().size());
    assertEquals(60, small.validation().size());
    assertEquals(20, small.test().size());
    assertArrayEquals(Arrays.copyOf(full.train().pixels(), 100 * 784), small.train().pixels());
    assertEquals(full.validation().contentHash(), small.validation().contentHash());
    assertArrayEquals(Arrays.copyOf(full.test().labels(), 20), small.test().labels());
    assertArrayEquals(Arrays.copyOf(full.test().pixels(), 20 * 784), small.test().pixels());
    assertNotEquals(full.hash(), small.hash());
    DataSplits over = FashionMnist.load(d, 1000, 1000, 60, 7);
    assertEquals(full.hash(), over.hash(), "limits above the file's size keep everything");
  }

  @Test
  void splitHashChangesWithOnePixelOrOneLabel() throws IOException {
    Path d = tiny();
    String before = FashionMnist.load(d, 0, 0, 60, 7).hash();
    Path img = d.resolve("t10k-images-idx3-ubyte.gz");
    IdxImages test = IdxReader.readImages(img);
    byte[] px = test.pixels().clone();
    px[49 * 784 + 783] ^= 1;
    IdxWriter.writeImages(img, new IdxImages(test.count(), 28, 28, px), true);
    String pixel = FashionMnist.load(d, 0, 0, 60, 7).hash();
    assertNotEquals(before, pixel, "one test pixel changed");

    Path lab = d.resolve("train-labels-idx1-ubyte.gz");
    int[] labels = IdxReader.readLabels(lab);
    labels[123] = (labels[123] + 1) % 10;
    IdxWriter.writeLabels(lab, labels, true);
    DataSplits label = FashionMnist.load(d, 0, 0, 60, 7);
    assertNotEquals(pixel, label.hash(), "one train label changed");

    // A pixel of a validation sample: only the validation split changes, and so must the hash.
    int firstValidation = Shuffle.permutation(300, new java.util.SplittableRandom(7))[0];
    Path trainImg = d.resolve("train-images-idx3-ubyte.gz");
    IdxImages train = IdxReader.readImages(trainImg);
    byte[] tp = train.pixels().clone();
    tp[firstValidation * 784 + 400] ^= 1;
    IdxWriter.writeImages(trainImg, new IdxImages(train.count(), 28, 28, tp), true);
    DataSplits val = FashionMnist.load(d, 0, 0, 60, 7);
    assertEquals(label.train().contentHash(), val.train().contentHash());
    assertNotEquals(label.hash(), val.hash(), "one validation pixel changed");
  }

  @Test
  void uncompressedFilesAreFoundAndGzipPreferred() throws IOException {
    Path d = tiny();
    String gzHash = FashionMnist.load(d, 0, 0, 60, 7).hash();
    Path raw = dir.resolve("raw");
    Files.createDirectories(raw);
    for (String name :
        new String[] {
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"
        }) {
      try (var in =
          new java.util.zip.GZIPInputStream(Files.newInputStream(d.resolve(name + ".gz")))) {
        Files.write(raw.resolve(name), in.readAllBytes());
      }
    }
    assertEquals(gzHash, FashionMnist.load(raw, 0, 0, 60, 7).hash());
    // With both present the .gz file wins: a broken raw twin must not be read.
    Files.write(d.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3});
    assertEquals(gzHash, FashionMnist.load(d, 0, 0, 60, 7).hash());
  }

  @Test
  void badInputsFailWithOneLineNamingWhatToDo() throws IOException {
    Path none = dir.resolve("none");
    var missing =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(none, 0, 0, 10, 1));
    assertEquals(
        "Fashion-MNIST not found in "
            + none
            + ": missing train-images-idx3-ubyte.gz; install the Debian package"
            + " dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or set data.dir",
        missing.getMessage());
    Path d = tiny();
    Files.delete(d.resolve("t10k-labels-idx1-ubyte.gz"));
    var oneFile =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 10, 1));
    assertTrue(
        oneFile.getMessage().contains(": missing t10k-labels-idx1-ubyte.gz;"),
        oneFile.getMessage());
    IdxWriter.writeLabels(d.resolve("t10k-labels-idx1-ubyte.gz"), new int[50], true);

    var val =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 300, 1));
    assertEquals(
        "data.validation must be in [1, 299] for 300 training images, found 300", val.getMessage());
    var zero = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 0, 1));
    assertTrue(zero.getMessage().startsWith("data.validation must be in [1, 299]"));
    var limit =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, -1, 0, 10, 1));
    assertEquals("data.train_limit must be >= 0 (0 = all), found -1", limit.getMessage());
    var testLimit =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, -2, 10, 1));
    assertEquals("data.test_limit must be >= 0 (0 = all), found -2", testLimit.getMessage());

    IdxWriter.writeLabels(d.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1, 2, 3}, true);
    var count =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 10, 1));
    assertEquals(
        "t10k-images-idx3-ubyte.gz has 50 images but t10k-labels-idx1-ubyte.gz has 3 labels",
        count.getMessage());
    int[] bad = new int[50];
    bad[4] = 12;
    IdxWriter.writeLabels(d.resolve("t10k-labels-idx1-ubyte.gz"), bad, true);
    var label =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 10, 1));
    assertTrue(
        label.getMessage().contains("label of sample 4 must be < 10, found 12"),
        label.getMessage());
  }

  @Test
  void realFashionMnistWhenInstalled() {
    assumeTrue(Files.isDirectory(REAL), "dataset-fashion-mnist not installed");
    long start = System.nanoTime();
    IdxImages train = IdxReader.readImages(REAL.resolve("train-images-idx3-ubyte.gz"));
    double readSecs = (System.nanoTime() - start) / 1e9;
    assertEquals(60000, train.count());
    assertEquals(28, train.rows());
    assertEquals(28, train.cols());
    assertEquals(60000, IdxReader.readLabels(REAL.resolve("train-labels-idx1-ubyte.gz")).length);

    start = System.nanoTime();
    DataSplits s = FashionMnist.load(REAL, 0, 0, 5000, 42);
    String hash = s.hash();
    double loadSecs = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "Fashion-MNIST: train images read in %.2f s; load + split + hash in %.2f s%n",
        readSecs, loadSecs);
    assertEquals(55000, s.train().size());
    assertEquals(5000, s.validation().size());
    assertEquals(10000, s.test().size());
    assertArrayEquals(new int[] {1, 28, 28}, s.train().sampleShape());
    assertEquals(10, s.train().numClasses());
    assertEquals(10, Arrays.stream(s.test().labels()).distinct().count());
    assertEquals(10, Arrays.stream(s.validation().labels()).distinct().count());
    assertEquals(64, hash.length());
    // Generous bound for a loaded CI machine; measured ~1 s here.
    assertFalse(loadSecs > 20, "loading took " + loadSecs + " s");
  }
}
