package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticTest {

  @TempDir Path dir;

  @Test
  void writesFashionMnistNamedFilesThatLoad() throws IOException {
    Path d = Synthetic.writeTinyFashionLike(dir.resolve("s"), 200, 40, 3);
    for (String f :
        new String[] {
          "train-images-idx3-ubyte.gz",
          "train-labels-idx1-ubyte.gz",
          "t10k-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz"
        }) {
      assertTrue(Files.isRegularFile(d.resolve(f)), f);
    }
    DataSplits s = FashionMnist.load(d, 0, 0, 20, 1);
    assertEquals(180, s.train().size());
    assertEquals(40, s.test().size());
    assertArrayEquals(new int[] {1, 28, 28}, s.train().sampleShape());
    int[] perClass = new int[10];
    for (int l : s.test().labels()) {
      perClass[l]++;
    }
    assertArrayEquals(new int[] {4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, perClass);
  }

  @Test
  void theSeedDecidesTheContent() throws IOException {
    String a =
        FashionMnist.load(Synthetic.writeTinyFashionLike(dir.resolve("a"), 50, 10, 3), 0, 0, 5, 1)
            .hash();
    String b =
        FashionMnist.load(Synthetic.writeTinyFashionLike(dir.resolve("b"), 50, 10, 3), 0, 0, 5, 1)
            .hash();
    String c =
        FashionMnist.load(Synthetic.writeTinyFashionLike(dir.resolve("c"), 50, 10, 4), 0, 0, 5, 1)
            .hash();
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  /**
   * The classes must be learnable from pixels, or trainer tests that use this data prove nothing: a
   * nearest-class-mean classifier fitted on the training split must be far above chance (10%) on
   * the test split.
   */
  @Test
  void classesAreLearnable() throws IOException {
    Path d = Synthetic.writeTinyFashionLike(dir.resolve("l"), 500, 200, 11);
    DataSplits s = FashionMnist.load(d, 0, 0, 50, 2);
    Dataset train = s.train();
    int dim = train.featureSize();
    double[][] mean = new double[10][dim];
    int[] n = new int[10];
    float[] x = train.features();
    for (int i = 0; i < train.size(); i++) {
      int c = train.labels()[i];
      n[c]++;
      for (int j = 0; j < dim; j++) {
        mean[c][j] += x[i * dim + j];
      }
    }
    for (int c = 0; c < 10; c++) {
      for (int j = 0; j < dim; j++) {
        mean[c][j] /= n[c];
      }
    }
    Dataset test = s.test();
    float[] t = test.features();
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      int best = -1;
      double bestDist = Double.MAX_VALUE;
      for (int c = 0; c < 10; c++) {
        double dist = 0;
        for (int j = 0; j < dim; j++) {
          double diff = t[i * dim + j] - mean[c][j];
          dist += diff * diff;
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      if (best == test.labels()[i]) {
        correct++;
      }
    }
    double accuracy = correct / (double) test.size();
    assertTrue(accuracy > 0.8, "nearest-class-mean accuracy " + accuracy);
    assertTrue(Arrays.stream(n).allMatch(k -> k > 0), Arrays.toString(n));
  }
}
