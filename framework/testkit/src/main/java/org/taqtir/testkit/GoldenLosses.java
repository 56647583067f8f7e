package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/**
 * Golden loss values computed by an independent implementation and committed as JSON with their
 * inputs: {@link #assertMatches} runs every case through the strategy {@link ServiceLoader} finds
 * for its id, the way the training loop calls it ({@code prepare}, then {@code loss}), and compares
 * within {@code tolerance · max(1, |expected|)}.
 *
 * <p>The file, e.g. {@code src/test/resources/golden/losses.json}:
 *
 * <pre>{@code
 * {"generator": "what wrote it (a script path)",
 *  "cases": [
 *   {"strategy": "my-kd",               // the id
 *    "params": {"temperature": 2.0},    // parameters that differ from the defaults
 *    "note": "what the case exercises", // shown when it fails; may be ""
 *    "epoch": 0,                        // BatchContext.epoch()
 *    "classes": 5,
 *    "student_logits": [...],           // row-major (B, classes)
 *    "teacher_logits": [...],           // row-major (B, classes)
 *    "labels": [0, 3, ...],             // B class indices
 *    "student_features": {"hidden1": {"shape": [8], "values": [...]}},  // per-sample shape,
 *    "teacher_features": {},                                           // row-major values
 *    "loss": 0.4423,                    // the expected loss
 *    "dtype": "float32",                // optional: the inputs' type, float64 by default
 *    "tolerance": 1e-6}]}               // optional: 1e-5 by default
 * }</pre>
 *
 * With {@code "dtype": "float32"} the inputs are rounded to float32 before the loss, as in
 * training: compute the expected value in float64 from the float32-rounded inputs ({@code
 * np.float32(x).astype(np.float64)}), so the case measures the strategy's float32 arithmetic. A
 * generator for outside projects ships in this jar: {@code java -cp taqtir-testkit-VERSION.jar
 * org.taqtir.testkit.GoldenScript > taqtir_golden.py} writes a NumPy module with the input
 * generator and the writer of this format (see {@link GoldenScript}).
 */
public final class GoldenLosses {

  private GoldenLosses() {}

  /**
   * One feature tap's values.
   *
   * @param shape per-sample shape, without the batch dimension
   * @param values row-major {@code (B, ...shape)} values
   */
  public record Feature(long[] shape, double[] values) {}

  /**
   * One golden case.
   *
   * @param strategy the strategy id
   * @param params parameters that differ from the defaults
   * @param note what the case exercises
   * @param epoch the epoch passed to the batch context
   * @param classes number of classes
   * @param studentLogits row-major {@code (B, classes)}
   * @param teacherLogits row-major {@code (B, classes)}
   * @param labels the B labels
   * @param studentFeatures tap name to values
   * @param teacherFeatures tap name to values
   * @param loss the expected loss
   * @param dtype {@code "float32"} or {@code "float64"} (the default, when {@code null})
   * @param tolerance relative tolerance, {@code 1e-5} when {@code null}
   */
  public record Case(
      String strategy,
      Map<String, Object> params,
      String note,
      int epoch,
      int classes,
      double[] studentLogits,
      double[] teacherLogits,
      int[] labels,
      Map<String, Feature> studentFeatures,
      Map<String, Feature> teacherFeatures,
      double loss,
      String dtype,
      Double tolerance) {

    /** Checks the data type. */
    public Case {
      if (dtype != null && !dtype.equals("float32") && !dtype.equals("float64")) {
        throw new IllegalArgumentException(
            "golden case for " + strategy + ": dtype must be float32 or float64, found " + dtype);
      }
    }

    DataType type() {
      return "float32".equals(dtype) ? DataType.FLOAT32 : DataType.FLOAT64;
    }

    double allowed() {
      return (tolerance == null ? DEFAULT_TOLERANCE : tolerance) * Math.max(1, Math.abs(loss));
    }
  }

  /** The relative tolerance of a case that names none. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** The file: its generator and its cases. */
  private record File(String generator, List<Case> cases) {}

  /**
   * Reads the cases of a JSON resource.
   *
   * @param owner class whose loader finds the resource
   * @param resource e.g. {@code /golden/losses.json}
   * @return the cases
   */
  public static List<Case> read(Class<?> owner, String resource) {
    ObjectMapper mapper =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    try (InputStream in = owner.getResourceAsStream(resource)) {
      assertNotNull(in, "missing test resource " + resource);
      return mapper.readValue(in, File.class).cases();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * Computes a case's loss with the registered strategy.
   *
   * @param provider the strategy's provider
   * @param c the case
   * @return the loss
   */
  public static double loss(StrategyProvider provider, Case c) {
    int b = c.labels().length;
    try (NDManager root = NDManager.newBaseManager();
        NDManager constants = root.newSubManager();
        NDManager batch = root.newSubManager();
        DistillationStrategy s =
            provider.create(provider.params().resolve(provider.id(), c.params(), "params"))) {
      s.prepare(
          new StrategyContext(
              constants,
              c.classes(),
              b,
              100,
              shapes(c.studentFeatures()),
              shapes(c.teacherFeatures())));
      NDArray y = batch.create(c.labels());
      BatchContext ctx =
          new BatchContext(
              batch, y, y.oneHot(c.classes()), batch.arange(0L, (long) b), c.epoch(), 0);
      NDArray loss =
          s.loss(
              outputs(batch, c.studentLogits(), c.classes(), c.studentFeatures(), c.type()),
              outputs(batch, c.teacherLogits(), c.classes(), c.teacherFeatures(), c.type()),
              ctx);
      return loss.toType(DataType.FLOAT64, false).getDouble();
    }
  }

  /**
   * Asserts every case of a resource matches, and that there is one; reports every case that does
   * not, with the expected and the computed value.
   *
   * @param owner class whose loader finds the resource and the providers
   * @param resource e.g. {@code /golden/losses.json}
   */
  public static void assertMatches(Class<?> owner, String resource) {
    Map<String, StrategyProvider> providers = new HashMap<>();
    ServiceLoader.load(StrategyProvider.class, owner.getClassLoader())
        .forEach(p -> providers.put(p.id(), p));
    List<Case> cases = read(owner, resource);
    assertFalse(cases.isEmpty(), resource + " has no cases");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      StrategyProvider p = providers.get(c.strategy());
      assertNotNull(p, "golden case for unregistered strategy " + c.strategy());
      double got = loss(p, c);
      if (!(Math.abs(got - c.loss()) <= c.allowed())) {
        failures.add(
            String.format(
                Locale.ROOT,
                "case %d, %s %s%s (%s): expected %.9g, computed %.9g, off by %.3g (allowed %.2g)",
                i,
                c.strategy(),
                c.params(),
                c.note().isEmpty() ? "" : " " + c.note(),
                c.type() == DataType.FLOAT32 ? "float32" : "float64",
                c.loss(),
                got,
                Math.abs(got - c.loss()),
                c.allowed()));
      }
    }
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " of "
              + cases.size()
              + " golden cases in "
              + resource
              + " differ:\n"
              + String.join("\n", failures));
    }
  }

  private static Map<String, Shape> shapes(Map<String, Feature> features) {
    Map<String, Shape> out = new HashMap<>();
    features.forEach((k, v) -> out.put(k, new Shape(v.shape())));
    return out;
  }

  private static StepOutputs outputs(
      NDManager m, double[] logits, int classes, Map<String, Feature> features, DataType type) {
    int b = logits.length / classes;
    Map<String, NDArray> f = new HashMap<>();
    features.forEach(
        (k, v) -> {
          long[] dims = new long[v.shape().length + 1];
          dims[0] = b;
          System.arraycopy(v.shape(), 0, dims, 1, v.shape().length);
          f.put(k, m.create(v.values(), new Shape(dims)).toType(type, false));
        });
    return new StepOutputs(m.create(logits, new Shape(b, classes)).toType(type, false), f);
  }
}
