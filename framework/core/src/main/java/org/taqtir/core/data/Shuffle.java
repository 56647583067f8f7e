package org.taqtir.core.data;

import java.util.SplittableRandom;

/** Seeded permutations, shared by the data split and the per-epoch batch order. */
public final class Shuffle {

  private Shuffle() {}

  /**
   * Returns a uniformly random permutation of {@code 0..n-1} (Fisher–Yates, drawing {@code
   * random.nextInt(i + 1)} for {@code i = n-1 .. 1}), so equal generator states give equal orders.
   *
   * @param n the length
   * @param random the generator, advanced by {@code n - 1} draws
   * @return the permutation
   */
  public static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
