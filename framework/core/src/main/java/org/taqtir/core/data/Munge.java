package org.taqtir.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MUNGE, the synthetic transfer-set generator of Bucilă, Caruana and Niculescu-Mizil (2006, "Model
 * compression", section 3.3, figure 2), for rows of a table.
 *
 * <p>For each of {@code multiplier} passes: copy the training rows; for every row {@code e} (in
 * order) take its nearest neighbour {@code e'} among the original rows (Euclidean distance on the
 * features as given, i.e. standardised; ties to the lowest index), then for every attribute, with
 * probability {@code p}: a continuous attribute of both rows is redrawn, {@code e_a ~ N(e'_a, sd)}
 * and {@code e'_a ~ N(e_a, sd)} with {@code sd = |e_a − e'_a| / s}; a nominal attribute (the
 * one-hot block {@code col=...} of one categorical column, swapped as a whole) is exchanged. Both
 * rows of the copy change, as in the paper. All draws come from {@code new SplittableRandom(seed)},
 * in row, then attribute order.
 *
 * <p>Cost: the nearest neighbours take {@code O(N² · d)} once; fine for the tables this is meant
 * for (thousands of rows).
 */
public final class Munge {

  private Munge() {}

  /**
   * Generates synthetic rows.
   *
   * @param x row-major training features
   * @param width features per row
   * @param featureNames one per feature; names {@code col=cat} sharing {@code col} form one nominal
   *     attribute
   * @param multiplier passes (synthetic rows per training row), at least 1
   * @param p the probability of altering an attribute, in [0, 1]
   * @param s the spread divisor, {@code > 0}
   * @param seed the seed of every draw
   * @return {@code multiplier × rows} synthetic rows, row-major
   */
  public static float[] generate(
      float[] x,
      int width,
      List<String> featureNames,
      int multiplier,
      double p,
      double s,
      long seed) {
    if (multiplier < 1 || p < 0 || p > 1 || !(s > 0)) {
      throw new IllegalArgumentException(
          "munge needs multiplier >= 1, p in [0, 1] and s > 0, found "
              + multiplier
              + ", "
              + p
              + ", "
              + s);
    }
    int n = x.length / width;
    if (n < 2) {
      throw new IllegalArgumentException("munge needs at least 2 training rows, found " + n);
    }
    List<Attribute> attributes = attributes(featureNames);
    int[] neighbour = nearest(x, width, n);
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[multiplier * x.length];
    for (int pass = 0; pass < multiplier; pass++) {
      float[] t = x.clone();
      for (int e = 0; e < n; e++) {
        int o = neighbour[e];
        for (Attribute a : attributes) {
          if (r.nextDouble() >= p) {
            continue;
          }
          if (!a.nominal()) {
            int j = a.columns()[0];
            double ea = t[e * width + j];
            double oa = t[o * width + j];
            double sd = Math.abs(ea - oa) / s;
            t[e * width + j] = (float) (oa + sd * gauss(r));
            t[o * width + j] = (float) (ea + sd * gauss(r));
          } else {
            for (int j : a.columns()) {
              float tmp = t[e * width + j];
              t[e * width + j] = t[o * width + j];
              t[o * width + j] = tmp;
            }
          }
        }
      }
      System.arraycopy(t, 0, out, pass * x.length, x.length);
    }
    return out;
  }

  /** One attribute: a numeric column, or the one-hot block of a categorical column. */
  record Attribute(int[] columns, boolean nominal) {}

  /** Column groups: a one-hot block {@code col=...} is one nominal attribute, others one each. */
  static List<Attribute> attributes(List<String> names) {
    Map<String, List<Integer>> blocks = new LinkedHashMap<>();
    for (int j = 0; j < names.size(); j++) {
      String n = names.get(j);
      int eq = n.indexOf('=');
      String key = eq < 0 ? "\u0000" + j : n.substring(0, eq);
      blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
    }
    List<Attribute> out = new ArrayList<>();
    for (var e : blocks.entrySet()) {
      int[] cols = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      out.add(new Attribute(cols, !e.getKey().startsWith("\u0000")));
    }
    return out;
  }

  static int[] nearest(float[] x, int width, int n) {
    int[] nn = new int[n];
    for (int i = 0; i < n; i++) {
      double best = Double.POSITIVE_INFINITY;
      for (int k = 0; k < n; k++) {
        if (k == i) {
          continue;
        }
        double d = 0;
        for (int j = 0; j < width; j++) {
          double v = x[i * width + j] - x[k * width + j];
          d += v * v;
        }
        if (d < best) {
          best = d;
          nn[i] = k;
        }
      }
    }
    return nn;
  }

  private static double gauss(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
