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
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @TempDir Path dir;

  private Path tiny() throws IOException {
    return Synthetic.writeTinyFashionLike(dir.resolve("d"), 300, 50, 1);
  }

  /** Identifies a training sample by its pixels (synthetic images are all distinct). */
  private static Set<String> rows(Dataset d) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < d.size(); i++) {
      s.add(
          java.util.Arrays.toString(
              java.util.Arrays.copyOfRange(d.pixels(), i * 784, (i + 1) * 784)));
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
    assertEquals(a.hash(), b.hash());
    assertNotEquals(a.hash(), c.hash(), "another split seed, another split");
    Set<String> train = rows(a.train());
    Set<String> val = rows(a.validation());
    assertEquals(300, train.size() + val.size());
    train.retainAll(val);
    assertTrue(train.isEmpty(), "validation and training never share a sample");
  }

  @Test
  void limitsKeepTheFirstPermutedTrainingAndFirstTestSamples() throws IOException {
    Path d = tiny();
    DataSplits full = FashionMnist.load(d, 0, 0, 60, 7);
    DataSplits small = FashionMnist.load(d, 100, 20, 60, 7);
    assertEquals(100, small.train().size());
    assertEquals(20, small.test().size());
    assertArrayEquals(
        java.util.Arrays.copyOf(full.train().pixels(), 100 * 784), small.train().pixels());
    assertEquals(full.validation().contentHash(), small.validation().contentHash());
    assertArrayEquals(java.util.Arrays.copyOf(full.test().labels(), 20), small.test().labels());
  }

  @Test
  void hashFollowsEveryPixelAndLabel() {
    byte[] px = new byte[2 * 4];
    Dataset a = Dataset.ofPixels(px, new int[] {0, 1}, new int[] {1, 2, 2}, 2);
    byte[] px2 = px.clone();
    px2[5] = 1;
    assertNotEquals(
        a.contentHash(),
        Dataset.ofPixels(px2, new int[] {0, 1}, new int[] {1, 2, 2}, 2).contentHash());
    assertNotEquals(
        a.contentHash(),
        Dataset.ofPixels(px, new int[] {1, 1}, new int[] {1, 2, 2}, 2).contentHash());
    assertEquals(
        a.contentHash(),
        Dataset.ofPixels(px.clone(), new int[] {0, 1}, new int[] {1, 2, 2}, 2).contentHash());
  }

  @Test
  void pixelsDecodeToPixelOver255() {
    byte[] px = {0, (byte) 255, (byte) 128, 7};
    Dataset d = Dataset.ofPixels(px, new int[] {0}, new int[] {1, 2, 2}, 1);
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 7 / 255f}, d.features());
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 7 / 255f}, d.rows(0, 1));
  }

  @Test
  void badInputsFailWithOneLineNamingWhatToDo() throws IOException {
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> FashionMnist.load(dir.resolve("none"), 0, 0, 10, 1));
    assertTrue(missing.getMessage().contains("missing train-images-idx3-ubyte.gz"));
    assertTrue(missing.getMessage().contains("apt-get install dataset-fashion-mnist"));
    Path d = tiny();
    var val =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 300, 1));
    assertEquals(
        "data.validation must be in [1, 299] for 300 training images, found 300", val.getMessage());
    IdxWriter.writeLabels(d.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1, 2, 3}, true);
    var count =
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, 0, 0, 10, 1));
    assertEquals(
        "t10k-images-idx3-ubyte.gz has 50 images but t10k-labels-idx1-ubyte.gz has 3 labels",
        count.getMessage());
    IdxWriter.writeLabels(d.resolve("t10k-labels-idx1-ubyte.gz"), new int[50], true);
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
    Path real = Path.of("/usr/share/datasets/fashion-mnist");
    assumeTrue(Files.isDirectory(real), "dataset-fashion-mnist not installed");
    long start = System.nanoTime();
    DataSplits s = FashionMnist.load(real, 0, 0, 5000, 42);
    double secs = (System.nanoTime() - start) / 1e9;
    assertEquals(55000, s.train().size());
    assertEquals(5000, s.validation().size());
    assertEquals(10000, s.test().size());
    assertArrayEquals(new int[] {1, 28, 28}, s.train().sampleShape());
    assertEquals(10, s.train().numClasses());
    assertFalse(secs > 30, "loading took " + secs + " s");
  }
}
