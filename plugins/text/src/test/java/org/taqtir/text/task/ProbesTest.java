package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The loss probes on models whose answers are known: a fixed table of logits per input token, so
 * calibration, agreement and the KLs can be computed by hand.
 */
class ProbesTest {

  private static final int V = 4;

  /** A "model" whose next-token logits depend on the current token only, scaled by {@code k}. */
  private static Function<NDArray, NDArray> table(double[][] logits, double k) {
    return x -> {
      int[] ids = x.toType(DataType.INT32, false).toIntArray();
      float[] out = new float[ids.length * V];
      for (int i = 0; i < ids.length; i++) {
        for (int c = 0; c < V; c++) {
          out[i * V + c] = (float) (k * logits[ids[i]][c]);
        }
      }
      long[] s = x.getShape().getShape();
      return x.getManager().create(out, new Shape(s[0], s[1], V));
    };
  }

  /** Text drawn from the chain next = (cur + 1) mod V with probability 0.7, else uniform. */
  private static TokenWindows chain(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] tokens = new int[n];
    for (int i = 1; i < n; i++) {
      tokens[i] = r.nextDouble() < 0.7 ? (tokens[i - 1] + 1) % V : r.nextInt(V);
    }
    return new TokenWindows("t", tokens, 16, 16, V, n);
  }

  /** The chain's true log-probabilities: 0.7 + 0.3/4 on the successor, 0.3/4 elsewhere. */
  private static double[][] truth() {
    double[][] l = new double[V][V];
    for (int a = 0; a < V; a++) {
      for (int c = 0; c < V; c++) {
        l[a][c] = Math.log(c == (a + 1) % V ? 0.775 : 0.075);
      }
    }
    return l;
  }

  @Test
  void aCalibratedModelHasSmallEceAndAnOverconfidentOneIsFixedByTemperature() {
    TokenWindows data = chain(20_000, 3);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Double> good = Probes.split(table(truth(), 1), null, data, 1, m).measures();
      // every position predicts the successor with confidence 0.775, right 77.5 % of the time
      assertEquals(0.775, good.get("confidence"), 1e-6);
      assertTrue(good.get("ece") < 0.01, "calibrated: " + good);
      Function<NDArray, NDArray> sharp = table(truth(), 3);
      double tau = Probes.fitTemperature(sharp, data, m);
      assertEquals(3, tau, 0.35, "the fitted temperature undoes the logits' scale");
      Map<String, Double> over = Probes.split(sharp, null, data, tau, m).measures();
      assertTrue(over.get("confidence") > 0.99, over.toString());
      assertTrue(over.get("ece") > 0.2, "over-confident: " + over);
      assertTrue(over.get("ece_scaled") < 0.02, "after scaling: " + over);
    }
  }

  @Test
  void agreementAndBothKlsAgainstATeacher() {
    TokenWindows data = chain(2_000, 5);
    double[][] student = truth();
    double[][] other = new double[V][V];
    for (int a = 0; a < V; a++) {
      other[a] = student[(a + 1) % V].clone(); // argmax moves to a + 2: never agrees
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Double> same =
          Probes.split(table(student, 1), table(student, 1), data, 1, m).measures();
      assertEquals(1.0, same.get("agreement"));
      assertEquals(0.0, same.get("kl_teacher_student"), 1e-12);
      assertEquals(0.0, same.get("kl_student_teacher"), 1e-12);
      Probes.Split both = Probes.split(table(student, 1), table(other, 1), data, 1, m);
      Map<String, Double> diff = both.measures();
      // the scores of the same pass are Scoring's, bit for bit
      assertEquals(Scoring.score(table(student, 1), data, m), both.scores());
      assertEquals(0.0, diff.get("agreement"));
      // both distributions put 0.775 on one token and 0.075 on the others, on different tokens:
      // KL = 0.775 ln(0.775/0.075) + 0.075 ln(0.075/0.775) both ways
      double kl = 0.775 * Math.log(0.775 / 0.075) + 0.075 * Math.log(0.075 / 0.775);
      assertEquals(kl, diff.get("kl_teacher_student"), 1e-5);
      assertEquals(kl, diff.get("kl_student_teacher"), 1e-5);
    }
  }

  @Test
  void degenerationCountsRepeatsDistinctBigramsAndLoops() {
    Map<String, Double> d =
        Probes.degeneration(
            List.of("a b c d a b c d", "one two three four five six"),
            new int[][] {{1, 2, 1, 2, 1, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8}});
    // first: 4-grams abcd bcda cdab dabc abcd -> 4 unique of 5; second: 3 of 3 unique
    assertEquals((0.2 + 0) / 2, d.get("seq_rep_4"), 1e-12);
    // bigrams: ab bc cd da ab bc cd + 5 distinct = 12 total, 4 + 5 = 9 distinct
    assertEquals(9.0 / 12, d.get("distinct_2"), 1e-12);
    assertEquals(0.5, d.get("looping"));
    assertTrue(Probes.loops(new int[] {5, 1, 2, 3, 7, 7, 7, 7}));
    assertFalse(Probes.loops(new int[] {1, 2, 3, 4, 5, 6, 7, 7}));
  }

  @Test
  void typosReplaceTheRequestedShareOfLettersWithTrainingLettersOnly() {
    String text = "Emma Woodhouse, handsome, clever, and rich. ".repeat(400);
    String arabic = "كتب الطالبُ درسَه في المساء. ".repeat(400);
    for (String t : List.of(text, arabic)) {
      String c = Typos.corrupt(t, t, 0.05, 7);
      assertEquals(t.codePointCount(0, t.length()), c.codePointCount(0, c.length()));
      long letters = t.codePoints().filter(Character::isLetter).count();
      int[] a = t.codePoints().toArray();
      int[] b = c.codePoints().toArray();
      long changed = 0;
      for (int i = 0; i < a.length; i++) {
        if (a[i] != b[i]) {
          changed++;
          assertTrue(Character.isLetter(a[i]) && t.indexOf(b[i]) >= 0, "only letters, to letters");
        }
      }
      assertEquals(0.05, (double) changed / letters, 0.01);
      assertEquals(c, Typos.corrupt(t, t, 0.05, 7), "seeded");
      assertNotEquals(c, Typos.corrupt(t, t, 0.05, 8));
    }
    assertEquals("5", Typos.percent(0.05));
    assertEquals("2.5", Typos.percent(0.025));
  }
}
