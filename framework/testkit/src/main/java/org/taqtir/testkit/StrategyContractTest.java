package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.Detached;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Taps;

/**
 * The checks every distillation strategy must pass, run the way the training loop calls a strategy:
 * {@code prepare} once with a long-lived manager, then {@code loss} inside a gradient collector
 * with a per-batch manager, teacher outputs detached, {@code afterStep} after each step.
 *
 * <p>Subclass it in the plugin's tests and implement {@link #provider()}; override the {@code
 * protected} hooks where the defaults do not fit (feature shapes, parameters under which the loss
 * is zero when the student equals the teacher). The checks:
 *
 * <ul>
 *   <li>the provider is registered for {@link ServiceLoader} with a valid id, a description and a
 *       formula;
 *   <li>its parameters (the defaults, {@link #params()} and {@link
 *       #paramsZeroWhenStudentEqualsTeacher()}) survive a study file: written as the YAML of a
 *       {@code strategies:} entry, read back and resolved by {@link ParamSpec#resolve} (the code
 *       the study parser uses), they come back equal; every parameter has a one-line doc;
 *   <li>the loss is a finite scalar, non-negative unless {@link #nonNegative()} says otherwise, and
 *       back-propagates into the student's logits or taps and into every adapter;
 *   <li>zero loss when the student's outputs equal the teacher's (when such parameters exist);
 *   <li>autograd agrees with central finite differences on the logits and taps (float64 inputs;
 *       float32 with a larger step for strategies with adapters). Terms declared with {@link
 *       Detached#term} are held at their unperturbed values while the inputs move, so the check
 *       compares the gradient of the formula as declared;
 *   <li>gradients are bitwise equal with a garbage collection between loss and backward (the
 *       symptom of a constant multiplied in with {@code NDArray.op(Number)});
 *   <li>arrays are created only in the managers the strategy is given (the parent is capped), and
 *       no long-lived manager grows over {@link #leakSteps()} steps of the same batch size.
 * </ul>
 *
 * <p>Golden values from an independent implementation belong in the plugin's own tests ({@link
 * GoldenLosses}): a contract cannot know the formula.
 */
public abstract class StrategyContractTest {

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
   * @return resolved parameters
   */
  protected Params params() {
    return provider().params().defaults();
  }

  /**
   * Returns parameters under which the loss is zero (up to float rounding) when the student's
   * outputs equal the teacher's, or {@code null} when no such setting exists (e.g. a pure label
   * loss). Default: {@code null}.
   *
   * @return the parameters, or null to skip that check
   */
  protected Params paramsZeroWhenStudentEqualsTeacher() {
    return null;
  }

  /**
   * Tells whether the loss is bounded below by 0. Default {@code true}; a negative log-likelihood
   * of a continuous density (e.g. VID) may legitimately go below 0: override and say why.
   *
   * @return whether the contract asserts {@code loss >= 0}
   */
  protected boolean nonNegative() {
    return true;
  }

  /**
   * Returns the width of a feature tap in the synthetic batches. Default 8.
   *
   * @param tap the tap name
   * @return the feature width
   */
  protected int featureWidth(String tap) {
    return 8;
  }

  /**
   * Returns the per-sample shape of a feature tap in the synthetic batches. Default {@code
   * (featureWidth(tap))}; override for strategies that read spatial maps, e.g. {@code (C, H, W)}.
   *
   * @param tap the tap name
   * @return the shape without the batch dimension
   */
  protected Shape featureShape(String tap) {
    return new Shape(featureWidth(tap));
  }

  private Shape batchFeatureShape(String tap) {
    Shape s = featureShape(tap);
    long[] dims = new long[s.dimension() + 1];
    dims[0] = batchSize();
    System.arraycopy(s.getShape(), 0, dims, 1, s.dimension());
    return new Shape(dims);
  }

  /**
   * Number of classes in the synthetic batches. Default 5.
   *
   * @return classes
   */
  protected int classes() {
    return 5;
  }

  /**
   * Batch size of the synthetic batches. Default 6.
   *
   * @return batch size
   */
  protected int batchSize() {
    return 6;
  }

  @BeforeEach
  final void openManager() {
    root = NDManager.newBaseManager();
  }

  @AfterEach
  final void closeManager() {
    root.close();
  }

  /** The synthetic inputs of one check. */
  private record Inputs(
      double[] studentLogits,
      double[] teacherLogits,
      Map<String, double[]> studentFeatures,
      Map<String, double[]> teacherFeatures,
      int[] labels) {}

  private Inputs inputs(long seed, Taps taps) {
    Random r = new Random(seed);
    int b = batchSize();
    double[] st = gaussian(r, b * classes(), 2);
    double[] te = gaussian(r, b * classes(), 3);
    Map<String, double[]> sf = new HashMap<>();
    for (String tap : taps.student()) {
      sf.put(tap, gaussian(r, (int) (b * featureShape(tap).size()), 1));
    }
    Map<String, double[]> tf = new HashMap<>();
    for (String tap : taps.teacher()) {
      tf.put(tap, gaussian(r, (int) (b * featureShape(tap).size()), 1));
    }
    int[] labels = new int[b];
    for (int i = 0; i < b; i++) {
      labels[i] = r.nextInt(classes());
    }
    return new Inputs(st, te, sf, tf, labels);
  }

  private static double[] gaussian(Random r, int n, double scale) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * r.nextGaussian();
    }
    return a;
  }

  private DistillationStrategy prepared(Params p, NDManager constants) {
    DistillationStrategy s = provider().create(p);
    Taps taps = provider().taps(p);
    Map<String, Shape> st = new HashMap<>();
    for (String tap : taps.student()) {
      st.put(tap, featureShape(tap));
    }
    Map<String, Shape> tt = new HashMap<>();
    for (String tap : taps.teacher()) {
      tt.put(tap, featureShape(tap));
    }
    s.prepare(new StrategyContext(constants, classes(), batchSize(), 3, st, tt));
    for (NDArray a : s.trainableParameters()) {
      a.setRequiresGradient(true);
    }
    return s;
  }

  /** Result of one forward/backward: loss value and the student's gradients. */
  private record Step(double loss, double[] logitGrad, Map<String, double[]> featureGrad) {}

  private Step step(
      DistillationStrategy s, Inputs in, NDManager batch, DataType type, boolean gcBeforeBackward) {
    int b = batchSize();
    NDArray st = array(batch, in.studentLogits(), new Shape(b, classes()), type);
    st.setRequiresGradient(true);
    Map<String, NDArray> sf = new HashMap<>();
    for (var e : in.studentFeatures().entrySet()) {
      NDArray f = array(batch, e.getValue(), batchFeatureShape(e.getKey()), type);
      f.setRequiresGradient(true);
      sf.put(e.getKey(), f);
    }
    boolean needsTeacher = provider().capabilities().contains(Capability.NEEDS_TEACHER);
    StepOutputs teacher = null;
    if (needsTeacher) {
      Map<String, NDArray> tf = new HashMap<>();
      for (var e : in.teacherFeatures().entrySet()) {
        tf.put(e.getKey(), array(batch, e.getValue(), batchFeatureShape(e.getKey()), type));
      }
      teacher =
          new StepOutputs(array(batch, in.teacherLogits(), new Shape(b, classes()), type), tf);
    }
    NDArray y = batch.create(in.labels());
    BatchContext ctx =
        new BatchContext(batch, y, y.oneHot(classes()), batch.arange(0L, (long) b), 0, 0);
    NDArray loss;
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      loss = s.loss(new StepOutputs(st, sf), teacher, ctx);
      if (gcBeforeBackward) {
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
      }
      gc.backward(loss);
    }
    assertEquals(new Shape(), loss.getShape(), "the loss must be a scalar");
    Map<String, double[]> fg = new HashMap<>();
    for (var e : sf.entrySet()) {
      fg.put(e.getKey(), toDouble(e.getValue().getGradient()));
    }
    if (teacher != null) {
      assertFalse(teacher.logits().hasGradient(), "teacher outputs must never need gradients");
    }
    return new Step(
        loss.toType(DataType.FLOAT64, false).getDouble(), toDouble(st.getGradient()), fg);
  }

  private static NDArray array(NDManager m, double[] v, Shape shape, DataType type) {
    return m.create(v, shape).toType(type, false);
  }

  private static double[] toDouble(NDArray a) {
    return a.toType(DataType.FLOAT64, false).toDoubleArray();
  }

  @Test
  void discoveredByServiceLoaderWithAValidId() {
    String id = provider().id();
    assertTrue(id.matches("[a-z0-9-]+") && id.length() < 64, "id must match [a-z0-9-]{1,63}");
    // the provider's own class loader: the jar (or directory) holding the class must register it
    ClassLoader loader = provider().getClass().getClassLoader();
    List<String> ids =
        ServiceLoader.load(StrategyProvider.class, loader).stream().map(p -> p.get().id()).toList();
    assertTrue(
        ids.contains(id),
        id + " is not registered in META-INF/services/org.taqtir.api.StrategyProvider: " + ids);
    assertNotNull(provider().family());
    assertNotNull(provider().capabilities());
    assertFalse(provider().description().isBlank(), "taqtir list shows a one-line description");
    assertFalse(provider().formula().isBlank(), "taqtir describe shows the loss formula");
  }

  @Test
  void parametersRoundTripThroughAStudyFile() {
    StrategyProvider provider = provider();
    for (ParamDef d : provider.params().params()) {
      assertFalse(d.doc().isBlank(), d.name() + " needs a one-line doc for taqtir describe");
    }
    Map<String, Params> sets = new java.util.LinkedHashMap<>();
    sets.put("the defaults", provider.params().defaults());
    sets.put("params()", params());
    if (paramsZeroWhenStudentEqualsTeacher() != null) {
      sets.put("paramsZeroWhenStudentEqualsTeacher()", paramsZeroWhenStudentEqualsTeacher());
    }
    for (var e : sets.entrySet()) {
      String yaml = StudyYamlRoundTrip.write(provider.id(), e.getValue());
      Params back;
      try {
        back = StudyYamlRoundTrip.read(provider, yaml);
      } catch (IllegalArgumentException ex) {
        throw new AssertionError(
            e.getKey() + " do not survive a study file: " + ex.getMessage() + "\n" + yaml, ex);
      }
      assertEquals(
          e.getValue(), back, e.getKey() + " changed when written to a study file and read back");
    }
    try (DistillationStrategy s = provider.create(provider.params().defaults())) {
      assertNotNull(s);
    }
  }

  @Test
  void lossIsAFiniteNonNegativeScalarAndGradientsReachTheStudent() {
    for (long seed = 1; seed <= 3; seed++) {
      try (NDManager constants = root.newSubManager();
          NDManager batch = root.newSubManager()) {
        DistillationStrategy s = prepared(params(), constants);
        Step st = step(s, inputs(seed, provider().taps(params())), batch, DataType.FLOAT32, false);
        assertTrue(Double.isFinite(st.loss()), "loss must be finite, found " + st.loss());
        assertTrue(!nonNegative() || st.loss() >= -1e-6, "loss must be >= 0, found " + st.loss());
        double norm = 0;
        for (double g : st.logitGrad()) {
          assertTrue(Double.isFinite(g));
          norm += g * g;
        }
        for (double[] fg : st.featureGrad().values()) {
          for (double g : fg) {
            norm += g * g;
          }
        }
        assertTrue(norm > 0, "the loss must back-propagate into the student (detached outputs?)");
        for (NDArray a : s.trainableParameters()) {
          double an = 0;
          for (double g : toDouble(a.getGradient())) {
            assertTrue(Double.isFinite(g));
            an += g * g;
          }
          assertTrue(an > 0, "the loss must back-propagate into the strategy's adapters");
          a.getGradient().subi(a.getGradient());
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
      DistillationStrategy s = prepared(p, constants);
      Inputs in = inputs(4, provider().taps(p));
      Map<String, double[]> same = new HashMap<>(in.studentFeatures());
      Inputs equal = new Inputs(in.studentLogits(), in.studentLogits(), same, same, in.labels());
      assertEquals(0, step(s, equal, batch, DataType.FLOAT64, false).loss(), 1e-7);
    }
  }

  @Test
  void gradientMatchesCentralFiniteDifferences() {
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      // Adapters are float32 arrays, so strategies with adapters are checked in float32 with a
      // larger step and tolerance; the others in float64.
      boolean f32 = !s.trainableParameters().isEmpty();
      DataType type = f32 ? DataType.FLOAT32 : DataType.FLOAT64;
      double h = f32 ? 1e-2 : 1e-5;
      double tol = f32 ? 2e-2 : 1e-4;
      Inputs in = inputs(5, provider().taps(params()));
      HeldTerms held = new HeldTerms();
      Step analytic;
      try (NDManager batch = root.newSubManager()) {
        analytic = Detached.holding(held::record, () -> step(s, in, batch, type, false));
      }
      GradientCheck check = new GradientCheck(h, tol, held.names());
      int n = in.studentLogits().length;
      for (int k = 0; k < n; k += Math.max(1, n / 8)) {
        double numeric =
            (lossAt(s, moveLogit(in, k, h), type, held)
                    - lossAt(s, moveLogit(in, k, -h), type, held))
                / (2 * h);
        check.compare("logits", k, n, numeric, analytic.logitGrad()[k]);
      }
      for (String tap : in.studentFeatures().keySet()) {
        int m = in.studentFeatures().get(tap).length;
        for (int k = 0; k < m; k += Math.max(1, m / 8)) {
          double numeric =
              (lossAt(s, moveFeature(in, tap, k, h), type, held)
                      - lossAt(s, moveFeature(in, tap, k, -h), type, held))
                  / (2 * h);
          check.compare("tap " + tap, k, m, numeric, analytic.featureGrad().get(tap)[k]);
        }
      }
    }
  }

  private static Inputs moveLogit(Inputs in, int k, double h) {
    double[] logits = in.studentLogits().clone();
    logits[k] += h;
    return new Inputs(
        logits, in.teacherLogits(), in.studentFeatures(), in.teacherFeatures(), in.labels());
  }

  private static Inputs moveFeature(Inputs in, String tap, int k, double h) {
    Map<String, double[]> features = new HashMap<>(in.studentFeatures());
    double[] f = features.get(tap).clone();
    f[k] += h;
    features.put(tap, f);
    return new Inputs(
        in.studentLogits(), in.teacherLogits(), features, in.teacherFeatures(), in.labels());
  }

  private double lossAt(DistillationStrategy s, Inputs in, DataType type, HeldTerms held) {
    try (NDManager batch = root.newSubManager()) {
      return Detached.holding(held.replay(), () -> step(s, in, batch, type, false)).loss();
    }
  }

  @Test
  void gradientsAreBitwiseEqualWithAGarbageCollectionBeforeBackward() {
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      Inputs in = inputs(6, provider().taps(params()));
      double[] clean;
      try (NDManager batch = root.newSubManager()) {
        clean = step(s, in, batch, DataType.FLOAT32, false).logitGrad();
      }
      for (int round = 0; round < 10; round++) {
        try (NDManager batch = root.newSubManager()) {
          assertArrayEquals(
              clean,
              step(s, in, batch, DataType.FLOAT32, true).logitGrad(),
              "a GC between loss and backward changed the gradients: a constant is probably"
                  + " multiplied in with NDArray.op(Number) (see StrategyContext)");
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
      step(s, inputs(7, provider().taps(params())), batch, DataType.FLOAT32, false);
      s.close();
    } catch (IllegalStateException e) {
      fail("the strategy created an array outside its managers: " + e.getMessage());
    } finally {
      batch.close();
      constants.close();
    }
  }

  @Test
  void noLongLivedManagerGrowsOverSteps() {
    try (NDManager constants = root.newSubManager()) {
      DistillationStrategy s = prepared(params(), constants);
      Taps taps = provider().taps(params());
      long after = 0;
      for (int k = 0; k < leakSteps(); k++) {
        try (NDManager batch = root.newSubManager()) {
          step(s, inputs(8 + k, taps), batch, DataType.FLOAT32, false);
        }
        s.afterStep();
        long now = root.getManagedArrays().size();
        // the first step may create what later steps reuse (Scalars of the batch size)
        if (k > 0 && now > after) {
          fail(
              String.format(
                  java.util.Locale.ROOT,
                  "step %d of %d left %d more arrays in the long-lived managers than step %d (%d"
                      + " -> %d): something is attached to the run's manager every step. An"
                      + " operation's result is attached to its left operand's manager, so a"
                      + " run-long constant on the left (one.sub(x)) keeps each result until"
                      + " training ends: write x.neg().add(one); create per-step arrays in"
                      + " batch.manager()",
                  k + 1,
                  leakSteps(),
                  now - after,
                  k,
                  after,
                  now));
        }
        after = now;
      }
      s.close();
    }
  }

  /**
   * Number of steps of the same batch size the leak check runs. Default 5.
   *
   * @return steps, at least 2
   */
  protected int leakSteps() {
    return 5;
  }

  /**
   * Returns the taps of the strategy as created with {@link #params()}.
   *
   * @return student and teacher taps
   */
  protected final Set<String> declaredTaps() {
    Taps taps = provider().taps(params());
    Set<String> all = new java.util.TreeSet<>(taps.student());
    all.addAll(taps.teacher());
    return all;
  }
}
