package org.taqtir.text.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Beam search against exhaustive search on a first-order Markov "model" (the next token's logits
 * depend on the last token only): a beam as wide as the number of sequences is exact; width 1 is
 * greedy decoding; a case where greedy misses the most likely sequence and a beam of 2 finds it.
 */
class BeamSearchTest {

  /** A model whose logits at each position are row {@code last token} of a table. */
  private static Function<NDArray, NDArray> markov(float[][] table) {
    return x -> {
      long b = x.getShape().get(0);
      long t = x.getShape().get(1);
      int v = table.length;
      int[] ids = x.toIntArray();
      float[] out = new float[(int) (b * t * v)];
      for (int i = 0; i < b * t; i++) {
        System.arraycopy(table[ids[i]], 0, out, i * v, v);
      }
      return x.getManager().create(out, new Shape(b, t, v));
    };
  }

  private static double logProb(float[][] table, int first, int[] seq) {
    double sum = 0;
    int prev = first;
    for (int tok : seq) {
      double max = Double.NEGATIVE_INFINITY;
      for (float z : table[prev]) {
        max = Math.max(max, z);
      }
      double lse = 0;
      for (float z : table[prev]) {
        lse += Math.exp(z - max);
      }
      sum += table[prev][tok] - max - Math.log(lse);
      prev = tok;
    }
    return sum;
  }

  @Test
  void aFullWidthBeamIsExhaustiveSearchAndWidthOneIsGreedy() {
    SplittableRandom r = new SplittableRandom(7);
    int v = 4;
    int steps = 3;
    try (NDManager m = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 5; trial++) {
        float[][] table = new float[v][v];
        for (float[] row : table) {
          for (int c = 0; c < v; c++) {
            row[c] = (float) (2 * r.nextGaussian());
          }
        }
        Generator g = new Generator(markov(table), 16);
        int[][] prompts = {{1, 2}, {3, 0}};
        Generator.Generated exact = g.beam(prompts, steps, v * v * v, m);
        for (int i = 0; i < prompts.length; i++) {
          int last = prompts[i][1];
          double best = Double.NEGATIVE_INFINITY;
          int[] arg = null;
          for (int code = 0; code < v * v * v; code++) {
            int[] seq = {code / (v * v), code / v % v, code % v};
            double lp = logProb(table, last, seq);
            if (lp > best) {
              best = lp;
              arg = seq;
            }
          }
          assertArrayEquals(arg, exact.tokens()[i], "trial " + trial + " prompt " + i);
        }
        assertArrayEquals(
            g.generate(prompts, steps, Generator.Decoding.GREEDY, m).tokens(),
            g.beam(prompts, steps, 1, m).tokens(),
            "width 1 is greedy");
      }
    }
  }

  @Test
  void aBeamOfTwoFindsWhatGreedyMisses() {
    // from token 0: token 1 (p 0.55, then a flat next step) or token 2 (p 0.45, then a sure one)
    float[][] table = {
      {-10, (float) Math.log(0.55), (float) Math.log(0.45)},
      {0, 0, 0},
      {-10, -10, 10},
    };
    Generator g = new Generator(markov(table), 8);
    try (NDManager m = NDManager.newBaseManager()) {
      int[][] prompt = {{0}};
      assertEquals(1, g.generate(prompt, 2, Generator.Decoding.GREEDY, m).tokens()[0][0]);
      assertArrayEquals(new int[] {2, 2}, g.beam(prompt, 2, 2, m).tokens()[0]);
    }
  }
}
