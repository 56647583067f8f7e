package org.taqtir.text.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
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
  void inheritedErrorsCountWhereTheTeachersArgmaxIsWrong() {
    TokenWindows data = chain(4_000, 9);
    double[][] truth = truth();
    // a teacher whose argmax after token 0 is 2 (the successor is 1): wrong there by design
    double[][] teacher = truth();
    teacher[0] = truth[1].clone();
    int[] targets = data.targets();
    int[] inputs = data.stream();
    long wrong = 0;
    long inheritedByTruth = 0;
    long correctedByTruth = 0;
    for (int i = 0; i < data.size(); i++) {
      for (int p = 0; p < data.window(); p++) {
        int cur = inputs[i * data.window() + p];
        int y = targets[i * data.window() + p];
        int teacherArgmax = cur == 0 ? 2 : (cur + 1) % V;
        int truthArgmax = (cur + 1) % V;
        if (teacherArgmax != y) {
          wrong++;
          inheritedByTruth += truthArgmax == teacherArgmax ? 1 : 0;
          correctedByTruth += truthArgmax == y ? 1 : 0;
        }
      }
    }
    long positions = (long) data.size() * data.window();
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Double> copy =
          Probes.split(table(teacher, 1), table(teacher, 1), data, 1, m).measures();
      assertEquals((double) wrong / positions, copy.get("errors/teacher_wrong"), 1e-12);
      assertEquals(1.0, copy.get("errors/inherited"), "a copy repeats every mistake");
      assertEquals(0.0, copy.get("errors/corrected"));
      Map<String, Double> right =
          Probes.split(table(truth, 1), table(teacher, 1), data, 1, m).measures();
      assertEquals((double) inheritedByTruth / wrong, right.get("errors/inherited"), 1e-12);
      assertEquals((double) correctedByTruth / wrong, right.get("errors/corrected"), 1e-12);
      // after token 0 the true model is right exactly when the text takes the successor
      assertTrue(right.get("errors/corrected") > 0.2, right.toString());
    }
  }

  @Test
  void styleScoresTheModelOnTheTeachersTextAndOnTheRealTextAfterTheSamePrompts() {
    try (NDManager m = NDManager.newBaseManager()) {
      // by hand: after [0, 1] the chain's model gives 2 probability 0.775, then after 2 gives 0
      // probability 0.075
      double nll =
          Probes.continuationNll(table(truth(), 1), new int[][] {{0, 1}}, new int[][] {{2, 0}}, m);
      assertEquals(-(Math.log(0.775) + Math.log(0.075)) / 2, nll, 1e-6);
      TokenWindows data = chain(4_000, 13);
      int[] stream = data.stream();
      int n = 32;
      int[][] prompts = new int[n][];
      int[][] real = new int[n][];
      for (int i = 0; i < n; i++) {
        prompts[i] = Arrays.copyOfRange(stream, i * 64, i * 64 + 8);
        real[i] = Arrays.copyOfRange(stream, i * 64 + 8, i * 64 + 16);
      }
      // a model that knows nothing pays log2(4) = 2 bits per character on any text
      Map<String, Double> blind =
          Probes.style(table(new double[V][V], 1), table(truth(), 5), prompts, real, 1, 16, m);
      assertEquals(2.0, blind.get("bpc_teacher_text"), 1e-6);
      assertEquals(2.0, blind.get("bpc_real_text"), 1e-6);
      // a copy of a peaked teacher finds the teacher's text easy and the real text (30 % random
      // steps) hard; the chain's own model pays about its entropy on the real text
      Map<String, Double> copy =
          Probes.style(table(truth(), 5), table(truth(), 5), prompts, real, 1, 16, m);
      assertTrue(copy.get("bpc_teacher_text") < 0.5 * copy.get("bpc_real_text"), copy.toString());
      Map<String, Double> honest =
          Probes.style(table(truth(), 1), table(truth(), 5), prompts, real, 1, 16, m);
      assertTrue(honest.get("bpc_real_text") < copy.get("bpc_real_text"), honest + " " + copy);
    }
  }

  /** Logits of a row that puts probability q on the successor of a and (1 - q)/3 elsewhere. */
  private static double[][] successor(double[] q) {
    double[][] l = new double[V][V];
    for (int a = 0; a < V; a++) {
      for (int c = 0; c < V; c++) {
        l[a][c] = Math.log(c == (a + 1) % V ? q[a] : (1 - q[a]) / (V - 1));
      }
    }
    return l;
  }

  private static double[] softmax(double[] logits) {
    double[] p = new double[logits.length];
    double z = 0;
    for (int c = 0; c < p.length; c++) {
      z += p[c] = Math.exp(logits[c]);
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= z;
    }
    return p;
  }

  @Test
  void tokenCascadeDefersTheUnsurePositionsAndAcceptanceIsTheOverlap() {
    TokenWindows data = chain(4_000, 7);
    // the student is sure after tokens 0 and 1 (0.9, 0.7) and unsure after 2 and 3 (0.5, 0.3)
    double[][] student = successor(new double[] {0.9, 0.7, 0.5, 0.3});
    double[][] teacher = truth();
    // defer below 0.6: every position after a 2 or a 3
    Probes.Fit fit = new Probes.Fit(1, new double[] {0.6});
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Double> got =
          Probes.split(table(student, 1), table(teacher, 1), data, fit, null, false, m).measures();
      int[] x = data.stream();
      int[] y = data.targets();
      double nll = 0;
      double overlap = 0;
      long deferred = 0;
      for (int w = 0; w < data.size(); w++) {
        for (int i = 0; i < data.window(); i++) {
          int p = w * data.window() + i;
          int cur = x[w * data.window() + i];
          double[] ps = softmax(student[cur]);
          double[] pt = softmax(teacher[cur]);
          boolean defer = cur >= 2;
          deferred += defer ? 1 : 0;
          nll -= Math.log(defer ? pt[y[p]] : ps[y[p]]);
          for (int c = 0; c < V; c++) {
            overlap += Math.min(ps[c], pt[c]);
          }
        }
      }
      double positions = y.length;
      assertEquals(deferred / positions, got.get("cascade_10/deferral"), 1e-12);
      // characters per token is 1 here: bits per character = nats per token / ln 2
      assertEquals(nll / positions / Math.log(2), got.get("cascade_10/bpc"), 1e-5);
      assertEquals(overlap / positions, got.get("spec_acceptance"), 1e-5);
      // a teacher identical to the student: every draft accepted, the cascade changes nothing
      Map<String, Double> same =
          Probes.split(table(student, 1), table(student, 1), data, fit, null, false, m).measures();
      assertEquals(1.0, same.get("spec_acceptance"), 1e-5);
      Scoring.Scores alone = Scoring.score(table(student, 1), data, m);
      assertEquals(alone.bitsPerChar(), same.get("cascade_10/bpc"), 1e-9);
      assertEquals(alone.accuracy(), same.get("cascade_10/accuracy"), 1e-12);

      // the detail for paired comparisons: window sums of the same losses, every position's top-1
      Probes.Split kept = Probes.split(table(student, 1), null, data, fit, null, true, m);
      double sum = 0;
      for (double w : kept.detail().windowNll()) {
        sum += w;
      }
      assertEquals(kept.scores().loss() * y.length, sum, 1e-6 * y.length);
      assertEquals(y.length, kept.detail().argmax().length);
      assertEquals((x[0] + 1) % V, kept.detail().argmax()[0], "the successor is the top-1");

      // word buckets: positions predicting token 0 in the first bucket (two characters each), the
      // rest in "other" (one character each)
      int other = WordFrequency.BUCKETS.size() - 1;
      int[] bucket = new int[y.length];
      int[] chars = new int[y.length];
      double nll0 = 0;
      long n0 = 0;
      for (int p = 0; p < y.length; p++) {
        bucket[p] = y[p] == 0 ? 0 : other;
        chars[p] = y[p] == 0 ? 2 : 1;
        if (y[p] == 0) {
          nll0 -= Math.log(softmax(student[x[p]])[0]);
          n0++;
        }
      }
      Map<String, Double> words =
          Probes.split(
                  table(student, 1),
                  null,
                  data,
                  fit,
                  new WordFrequency.Positions(bucket, chars),
                  false,
                  m)
              .measures();
      assertEquals(nll0 / (2 * n0) / Math.log(2), words.get("words_unseen/bpc"), 1e-5);
      assertEquals(n0 / positions, words.get("words_unseen/share"), 1e-12);
      assertEquals(1 - n0 / positions, words.get("words_other/share"), 1e-12);
      assertFalse(words.containsKey("words_rare/bpc"), "an empty bucket has no loss");
      assertFalse(words.containsKey("spec_acceptance"), "no teacher, no acceptance");
    }
  }

  @Test
  void theCascadeThresholdsLeaveTheirShareOfValidationPositionsBelow() {
    TokenWindows data = chain(20_000, 11);
    // four confidence levels, each after about a quarter of the positions
    Function<NDArray, NDArray> student = table(successor(new double[] {0.9, 0.7, 0.5, 0.3}), 1);
    try (NDManager m = NDManager.newBaseManager()) {
      Probes.Fit fit = Probes.fit(student, data, m);
      assertEquals(Probes.fitTemperature(student, data, m), fit.tau());
      double[] below = fit.deferBelow();
      assertEquals(Probes.DEFER_SHARES.length, below.length);
      for (int i = 1; i < below.length; i++) {
        assertTrue(below[i] >= below[i - 1], "thresholds grow with the share");
      }
      // half of the positions have confidence 0.3 or 0.5: the 50 % threshold is the next level
      assertEquals(0.7, below[2], 1e-6);
    }
  }

  @Test
  void exposureComparesTheTwoModelsAlongTheTeachersTextAndTheStudentsOwn() {
    TokenWindows data = chain(2_000, 13);
    int[][] prompts = new int[4][];
    for (int i = 0; i < prompts.length; i++) {
      prompts[i] = java.util.Arrays.copyOfRange(data.stream(), 100 * i, 100 * i + 8);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, Double> same =
          Probes.exposure(table(truth(), 1), table(truth(), 1), prompts, 16, m);
      assertEquals(0.0, same.get("kl_teacher_prefix"), 1e-6);
      assertEquals(0.0, same.get("kl_own_prefix"), 1e-6);
      // a student that disagrees with the teacher after tokens 2 and 3
      double[][] student = truth();
      student[2] = student[0].clone();
      student[3] = student[1].clone();
      Map<String, Double> differ =
          Probes.exposure(table(student, 1), table(truth(), 1), prompts, 16, m);
      assertTrue(differ.get("kl_teacher_prefix") > 0, differ.toString());
      assertTrue(differ.get("kl_own_prefix") > 0, differ.toString());
      assertEquals(
          differ.get("kl_own_prefix") / differ.get("kl_teacher_prefix") - 1,
          differ.get("excess"),
          1e-12);
      assertTrue(differ.containsKey("kl_own_prefix_last_quarter"));
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
