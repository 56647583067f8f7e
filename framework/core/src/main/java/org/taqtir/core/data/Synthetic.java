package org.taqtir.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small, learnable, Fashion-MNIST-shaped data set for tests and examples: 28×28 images of 10
 * classes, each class a distinct bright bar (horizontal for classes 0–4, vertical for 5–9, at a
 * class-specific position) over seeded noise, with a random shift of up to 2 pixels. Files are
 * written with Fashion-MNIST's names, gzip-compressed.
 */
public final class Synthetic {

  private Synthetic() {}

  /**
   * Writes the four IDX files.
   *
   * @param dir the target directory (created)
   * @param trainCount training images
   * @param testCount test images
   * @param seed seed of the noise, shifts and labels
   * @return {@code dir}
   * @throws IOException when the directory cannot be created
   */
  public static Path writeTinyFashionLike(Path dir, int trainCount, int testCount, long seed)
      throws IOException {
    Files.createDirectories(dir);
    SplittableRandom r = new SplittableRandom(seed);
    write(dir, "train", trainCount, r);
    write(dir, "t10k", testCount, r);
    return dir;
  }

  private static void write(Path dir, String prefix, int n, SplittableRandom r) {
    byte[] px = new byte[n * 784];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 10;
      labels[i] = c;
      int shift = r.nextInt(5) - 2;
      int pos = 4 + (c % 5) * 5 + shift;
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          int v = r.nextInt(90);
          boolean bar = c < 5 ? Math.abs(y - pos) <= 1 : Math.abs(x - pos) <= 1;
          if (bar) {
            v = 150 + r.nextInt(106);
          }
          px[i * 784 + y * 28 + x] = (byte) v;
        }
      }
    }
    IdxWriter.writeImages(
        dir.resolve(prefix + "-images-idx3-ubyte.gz"), new IdxImages(n, 28, 28, px), true);
    IdxWriter.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels, true);
  }
}
