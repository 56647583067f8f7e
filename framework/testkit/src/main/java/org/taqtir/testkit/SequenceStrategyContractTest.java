package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.TopK;

/**
 * The checks every language-model strategy must pass, on sequence outputs: logits {@code (B, T,
 * V)}, labels {@code (B, T)} (the next token; a negative label marks padding), called as the
 * training loop calls a strategy ({@code prepare} once with a long-lived manager, {@code loss}
 * inside a gradient collector with a per-batch manager, teacher outputs detached).
 *
 * <p>Subclass it in the plugin's tests and implement {@link #provider()}. The checks: discovered by
 * ServiceLoader for the language-modelling task; a finite scalar whose gradient reaches the
 * student; padded positions contribute nothing (to the loss or the gradient); zero when the student
 * equals the teacher (where the divergence allows it); the gradient equals central finite
 * differences in float64; finite loss and gradients with peaked distributions (logits ±30,
 * probabilities that underflow in float32); bitwise-equal gradients with garbage collections
 * between loss and backward; no array outside the managers it is given; and, for strategies that
 * read the teacher, with the teacher given as top-k tokens plus a tail bucket ({@link TopK}): the
 * same value as dense when k covers the vocabulary, and never more than dense for k below it (a
 * divergence on merged outcomes cannot exceed the divergence on all of them).
 */
public abstract class SequenceStrategyContractTest {

  /** The language-modelling task's id. */
  public static final String TASK = "language-modelling";

  private NDManager root;

  /**
   * Returns the provider under test.
   *
   * @return a fresh provider instance
   */
  protected abstract StrategyProvider provider();

  /**
   * Returns the parameters the checks use; the defaults unless overridden.
   *
   * @return parameters
   */
  protected Params params() {
    return provider().params().defaults();
  }

  /**
   * Returns parameters with which the loss is 0 when the student equals the teacher, or null when
   * it never is (e.g. a loss that also reads the labels).
   *
   * @return parameters, or null to skip that check
   */
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return params();
  }

  /**
   * Returns whether the loss can never be negative.
   *
   * @return true unless overridden
   */
  protected boolean nonNegative() {
    return true;
  }

  /**
   * Returns whether the strategy accepts a teacher given as top-k tokens with a tail bucket.
   *
   * @return true for strategies that read the teacher's outputs (not only its taps), unless
   *     overridden
   */
  protected boolean acceptsTopK() {
    var c = provider().capabilities();
    return c.contains(Capability.NEEDS_TEACHER) && !c.contains(Capability.NEEDS_FEATURES);
  }

  /** B: sequences per batch. */
  protected static final int B = 3;

  /** T: positions per sequence. */
  protected static final int T = 4;

  /** V: the vocabulary. */
  protected static final int V = 9;

  @BeforeEach
  final void openManager() {
    root = NDManager.newBaseManager();
  }

  @AfterEach
  final void closeManager() {
    root.close();
  }

  /** Student feature width of the declared student tap, (B, T, DS). */
  protected static final int DS = 5;

  /** Teacher feature width of the declared teacher tap, (B, T, DT). */
  protected static final int DT = 6;

  /**
   * Synthetic inputs: the student's logits then its feature (one array, so the finite-difference
   * check moves either), the teacher's logits and feature, labels (negative = padding), an optional
   * top-k size.
   */
  private record Inputs(
      double[] student, double[] teacher, double[] teacherFeature, int[] labels, int topK) {

    Inputs withStudent(double[] s) {
      return new Inputs(s, teacher, teacherFeature, labels, topK);
    }

    Inputs withTopK(int k) {
      return new Inputs(student, teacher, teacherFeature, labels, k);
    }
  }

  private String studentTap() {
    return provider().taps(params()).student().stream().findFirst().orElse(null);
  }

  private String teacherTap() {
    return provider().taps(params()).teacher().stream().findFirst().orElse(null);
  }

  private Inputs inputs(long seed, double scale, boolean padded) {
    Random r = new Random(seed);
    int logits = B * T * V;
    double[] s = new double[logits + (studentTap() == null ? 0 : B * T * DS)];
    double[] t = new double[logits];
    double[] tf = new double[teacherTap() == null ? 0 : B * T * DT];
    for (int i = 0; i < s.length; i++) {
      s[i] = (i < logits ? scale : 1) * r.nextGaussian();
    }
    for (int i = 0; i < t.length; i++) {
      t[i] = 1.5 * scale * r.nextGaussian();
    }
    for (int i = 0; i < tf.length; i++) {
      tf[i] = r.nextGaussian();
    }
    int[] labels = new int[B * T];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(V);
    }
    if (padded) {
      labels[T - 1] = -1;
      labels[2 * T] = -1;
    }
    return new Inputs(s, t, tf, labels, 0);
  }

  private DistillationStrategy prepared(Params p, NDManager constants) {
    DistillationStrategy s = provider().create(p);
    Map<String, Shape> st = new HashMap<>();
    Map<String, Shape> tt = new HashMap<>();
    if (studentTap() != null) {
      st.put(studentTap(), new Shape(T, DS));
    }
    if (teacherTap() != null) {
      tt.put(teacherTap(), new Shape(T, DT));
    }
    s.prepare(new StrategyContext(constants, V, B, 3, st, tt));
    for (NDArray a : s.trainableParameters()) {
      a.setRequiresGradient(true);
    }
    return s;
  }

  /** Strategies with trainable adapters (float32 arrays) are checked in float32. */
  private boolean adapters(DistillationStrategy s) {
    return !s.trainableParameters().isEmpty();
  }

  /** One forward and backward: the loss and the student's logit gradient. */
  private record Step(double loss, double[] gradient) {}

  private Step step(DistillationStrategy s, Inputs in, NDManager batch, DataType type, boolean gc) {
    Shape shape = new Shape(B, T, V);
    int logits = B * T * V;
    double[] raw = in.student();
    // two leaves (slices of one leaf would not carry the gradient back through DJL's indexing)
    NDArray st = batch.create(java.util.Arrays.copyOf(raw, logits), shape).toType(type, false);
    st.setRequiresGradient(true);
    NDArray feature = null;
    Map<String, NDArray> sf = new HashMap<>();
    if (studentTap() != null) {
      feature =
          batch
              .create(java.util.Arrays.copyOfRange(raw, logits, raw.length), new Shape(B, T, DS))
              .toType(type, false);
      feature.setRequiresGradient(true);
      sf.put(studentTap(), feature);
    }
    StepOutputs teacher = null;
    if (provider().capabilities().contains(Capability.NEEDS_TEACHER)) {
      NDArray tl = batch.create(in.teacher(), shape).toType(type, false);
      Map<String, NDArray> tf = new HashMap<>();
      if (in.topK() > 0) {
        tf.putAll(topK(tl, in.topK(), batch));
      }
      if (teacherTap() != null) {
        tf.put(
            teacherTap(),
            batch.create(in.teacherFeature(), new Shape(B, T, DT)).toType(type, false));
      }
      teacher = new StepOutputs(tl, tf);
    }
    NDArray y = batch.create(in.labels(), new Shape(B, T));
    // as the training loop does for a sequence task: no one-hot labels (B·T·V floats per batch)
    BatchContext ctx = new BatchContext(batch, y, null, batch.arange(0L, (long) B), 0, 0);
    NDArray loss;
    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
      loss = s.loss(new StepOutputs(st, sf), teacher, ctx);
      if (gc) {
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
      }
      c.backward(loss);
    }
    assertEquals(new Shape(), loss.getShape(), "the loss must be a scalar");
    return new Step(loss.toType(DataType.FLOAT64, false).getDouble(), gradient(st, feature));
  }

  /** The gradient of the student's logits, then of its feature when it has one. */
  private static double[] gradient(NDArray logits, NDArray feature) {
    double[] g = logits.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    if (feature == null) {
      return g;
    }
    double[] f = feature.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    double[] out = java.util.Arrays.copyOf(g, g.length + f.length);
    System.arraycopy(f, 0, out, g.length, f.length);
    return out;
  }

  /**
   * A teacher's top-k taps from its dense logits, as the teacher-output cache stores them: the k
   * largest probabilities' ids (as floats) and log-probabilities, and the log of the rest's total.
   *
   * @param logits {@code (B, T, V)}
   * @param k tokens kept
   * @param m where the arrays go
   * @return the taps by {@link TopK} name
   */
  public static Map<String, NDArray> topK(NDArray logits, int k, NDManager m) {
    Map<String, NDArray> top = new HashMap<>(TopK.of(logits, k));
    top.put(TopK.IDS, top.get(TopK.IDS).toType(logits.getDataType(), false));
    return top;
  }

  @Test
  void discoveredByServiceLoaderForLanguageModelling() {
    String id = provider().id();
    assertTrue(id.matches("[a-z0-9-]+") && id.length() < 64, "id must match [a-z0-9-]{1,63}");
    List<String> ids =
        ServiceLoader.load(StrategyProvider.class, provider().getClass().getClassLoader()).stream()
            .map(p -> p.get().id())
            .toList();
    assertTrue(ids.contains(id), id + " is not in META-INF/services: " + ids);
    assertTrue(provider().worksWith(TASK), id + ": tasks() must include " + TASK);
    assertFalse(provider().formula().isBlank(), "taqtir describe shows the loss formula");
    assertFalse(provider().description().isBlank(), "taqtir list shows a description");
  }

  @Test
  void noLongLivedManagerGrowsOverSteps() {
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      long after = 0;
      for (int k = 0; k < 5; k++) {
        try (NDManager batch = root.newSubManager()) {
          step(s, inputs(20 + k, 2, k % 2 == 1), batch, DataType.FLOAT32, false);
        }
        s.afterStep();
        long now = root.getManagedArrays().size();
        // the first step may create what later steps reuse (Scalars of the batch size)
        assertTrue(
            k == 0 || now <= after,
            String.format(
                java.util.Locale.ROOT,
                "step %d of 5 left %d more arrays in the long-lived managers than step %d (%d ->"
                    + " %d): an operation's result is attached to its left operand's manager, so"
                    + " a run-long constant on the left (one.sub(x)) keeps each result until"
                    + " training ends; write x.neg().add(one)",
                k + 1,
                now - after,
                k,
                after,
                now));
        after = now;
      }
      s.close();
    }
  }

  @Test
  void lossIsAFiniteScalarAndItsGradientReachesTheStudent() {
    for (long seed = 1; seed <= 3; seed++) {
      try (NDManager constants = root.newSubManager();
          NDManager batch = root.newSubManager()) {
        Step st =
            step(
                prepared(params(), constants),
                inputs(seed, 2, false),
                batch,
                DataType.FLOAT32,
                false);
        assertTrue(Double.isFinite(st.loss()), "loss must be finite, found " + st.loss());
        assertTrue(!nonNegative() || st.loss() >= -1e-6, "loss must be >= 0, found " + st.loss());
        double norm = 0;
        for (double g : st.gradient()) {
          assertTrue(Double.isFinite(g), "gradient not finite");
          norm += g * g;
        }
        assertTrue(norm > 0, "the loss must back-propagate into the student's logits");
      }
    }
  }

  @Test
  void paddedPositionsContributeNothing() {
    Inputs in = inputs(11, 2, true);
    double[] moved = in.student().clone();
    // change the student's logits (and feature) at the padded positions only
    int[] padded = {T - 1, 2 * T};
    for (int v = 0; v < V; v++) {
      moved[padded[0] * V + v] += 3 * (v % 3 - 1);
      moved[padded[1] * V + v] -= 2 * (v % 2);
    }
    if (studentTap() != null) {
      for (int pos : padded) {
        for (int d = 0; d < DS; d++) {
          moved[B * T * V + pos * DS + d] += 1.5 - d;
        }
      }
    }
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      DataType type = adapters(s) ? DataType.FLOAT32 : DataType.FLOAT64;
      Step a;
      Step b;
      try (NDManager batch = root.newSubManager()) {
        a = step(s, in, batch, type, false);
      }
      try (NDManager batch = root.newSubManager()) {
        b = step(s, in.withStudent(moved), batch, type, false);
      }
      assertEquals(a.loss(), b.loss(), 1e-12, "a padded position changed the loss");
      for (int pos : padded) {
        for (int v = 0; v < V; v++) {
          assertEquals(0, a.gradient()[pos * V + v], 0, "logit gradient at a padded position");
        }
        for (int d = 0; studentTap() != null && d < DS; d++) {
          assertEquals(
              0,
              a.gradient()[B * T * V + pos * DS + d],
              0,
              "feature gradient at a padded position");
        }
      }
    }
  }

  @Test
  void zeroWhenStudentEqualsTeacher() {
    Params p = paramsZeroWhenStudentEqualsTeacher();
    assumeTrue(p != null, "this strategy has no zero-loss setting");
    try (NDManager constants = root.newSubManager();
        NDManager batch = root.newSubManager()) {
      Inputs in = inputs(4, 2, true);
      Inputs same =
          new Inputs(
              in.student(),
              java.util.Arrays.copyOf(in.student(), B * T * V),
              in.teacherFeature(),
              in.labels(),
              0);
      assertEquals(
          0,
          step(prepared(p, constants), same, batch, DataType.FLOAT64, false).loss(),
          1e-7,
          "loss with the student equal to the teacher (float64; the run's constants are float32)");
    }
  }

  @Test
  void gradientMatchesCentralFiniteDifferences() {
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      // adapters are float32 arrays: those strategies are checked in float32, with a larger step
      boolean f32 = adapters(s);
      DataType type = f32 ? DataType.FLOAT32 : DataType.FLOAT64;
      double h = f32 ? 1e-2 : 1e-5;
      double tol = f32 ? 2e-2 : 1e-5;
      Inputs in = inputs(5, 2, true);
      Step autograd;
      try (NDManager batch = root.newSubManager()) {
        autograd = step(s, in, batch, type, false);
      }
      for (int k = 0; k < in.student().length; k += 5) {
        double[] up = in.student().clone();
        double[] down = in.student().clone();
        up[k] += h;
        down[k] -= h;
        double fd =
            (lossAt(s, in.withStudent(up), type) - lossAt(s, in.withStudent(down), type)) / (2 * h);
        double ag = autograd.gradient()[k];
        String what = k < B * T * V ? "logit[" + k + "]" : "feature[" + (k - B * T * V) + "]";
        assertEquals(
            fd,
            ag,
            tol * Math.max(1, Math.abs(fd)),
            "d loss / d " + what + ": finite difference " + fd + ", autograd " + ag);
      }
    }
  }

  private double lossAt(DistillationStrategy s, Inputs in) {
    return lossAt(s, in, DataType.FLOAT64);
  }

  private double lossAt(DistillationStrategy s, Inputs in, DataType type) {
    try (NDManager batch = root.newSubManager()) {
      return step(s, in, batch, type, false).loss();
    }
  }

  @Test
  void finiteWithPeakedDistributions() {
    try (NDManager constants = root.newSubManager();
        NDManager batch = root.newSubManager()) {
      Inputs in = inputs(8, 20, true);
      double[] s = in.student();
      double[] t = in.teacher();
      for (int i = 0; i < t.length; i++) {
        s[i] = Math.max(-30, Math.min(30, s[i]));
        t[i] = Math.max(-30, Math.min(30, t[i]));
      }
      Step st = step(prepared(params(), constants), in, batch, DataType.FLOAT32, false);
      assertTrue(Double.isFinite(st.loss()), "loss with logits ±30: " + st.loss());
      for (double g : st.gradient()) {
        assertTrue(Double.isFinite(g), "gradient with logits ±30 is not finite");
      }
    }
  }

  @Test
  void gradientsAreBitwiseEqualWithGarbageCollectionsBeforeBackward() {
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      Inputs in = inputs(6, 2, true);
      double[] clean;
      try (NDManager batch = root.newSubManager()) {
        clean = step(s, in, batch, DataType.FLOAT32, false).gradient();
      }
      for (int round = 0; round < 5; round++) {
        try (NDManager batch = root.newSubManager()) {
          assertArrayEquals(
              clean,
              step(s, in, batch, DataType.FLOAT32, true).gradient(),
              "a GC between loss and backward changed the gradients: a constant is probably"
                  + " multiplied in with NDArray.op(Number)");
        }
      }
    }
  }

  @Test
  void createsArraysOnlyInTheManagersItIsGiven() {
    NDManager constants = root.newSubManager();
    NDManager batch = root.newSubManager();
    root.cap();
    try {
      DistillationStrategy s = prepared(params(), constants);
      step(s, inputs(7, 2, true), batch, DataType.FLOAT32, false);
      s.close();
    } catch (IllegalStateException e) {
      fail("the strategy created an array outside its managers: " + e.getMessage());
    } finally {
      batch.close();
      constants.close();
    }
  }

  @Test
  void topKTeacherMatchesDenseWhenKCoversTheVocabularyAndNeverExceedsIt() {
    assumeTrue(acceptsTopK(), "this strategy does not read the teacher's top-k outputs");
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      Inputs in = inputs(9, 2, true);
      double dense = lossAt(s, in);
      double all = lossAt(s, in.withTopK(V));
      assertEquals(
          dense,
          all,
          1e-9 * Math.max(1, Math.abs(dense)),
          "top-k with k = V (an empty tail) must equal the dense loss");
      Map<Integer, Double> byK = new HashMap<>();
      for (int k : new int[] {1, 3, V - 1}) {
        double v = lossAt(s, in.withTopK(k));
        assertTrue(Double.isFinite(v), "top-" + k + " loss not finite");
        assertTrue(
            v <= dense + 1e-9,
            "top-"
                + k
                + " loss "
                + v
                + " exceeds the dense loss "
                + dense
                + ": merging outcomes cannot increase a divergence");
        byK.put(k, v);
      }
      assertTrue(
          byK.get(V - 1) >= byK.get(1) - 1e-9, "more buckets should not lose divergence: " + byK);
    }
  }
}
