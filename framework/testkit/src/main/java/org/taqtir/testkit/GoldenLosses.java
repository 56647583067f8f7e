package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;

/**
 * Golden loss values computed by an independent implementation (a NumPy script, {@code
 * framework/testkit/golden/golden_losses.py}) and committed as JSON with their inputs: each case
 * names a strategy id, its parameters, the logits, labels and feature taps, and the expected loss.
 * {@link #assertMatches} runs every case through the strategy found by {@link ServiceLoader}, the
 * way the training loop calls it (prepare, then loss on float64 inputs), and compares within {@code
 * 1e-5 · max(1, |expected|)}.
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
      double loss) {}

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
    Map<String, Object> values = new HashMap<>(provider.params().defaults().values());
    values.putAll(c.params());
    int b = c.labels().length;
    try (NDManager root = NDManager.newBaseManager();
        NDManager constants = root.newSubManager();
        NDManager batch = root.newSubManager();
        DistillationStrategy s = provider.create(new Params(values))) {
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
              outputs(batch, c.studentLogits(), c.classes(), c.studentFeatures()),
              outputs(batch, c.teacherLogits(), c.classes(), c.teacherFeatures()),
              ctx);
      return loss.toType(DataType.FLOAT64, false).getDouble();
    }
  }

  /**
   * Asserts every case of a resource whose strategy is registered matches, and that there is one.
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
    for (Case c : cases) {
      StrategyProvider p = providers.get(c.strategy());
      assertNotNull(p, "golden case for unregistered strategy " + c.strategy());
      assertEquals(
          c.loss(),
          loss(p, c),
          1e-5 * Math.max(1, Math.abs(c.loss())),
          c.strategy() + " " + c.params() + (c.note().isEmpty() ? "" : " (" + c.note() + ")"));
    }
  }

  private static Map<String, Shape> shapes(Map<String, Feature> features) {
    Map<String, Shape> out = new HashMap<>();
    features.forEach((k, v) -> out.put(k, new Shape(v.shape())));
    return out;
  }

  private static StepOutputs outputs(
      NDManager m, double[] logits, int classes, Map<String, Feature> features) {
    int b = logits.length / classes;
    Map<String, NDArray> f = new HashMap<>();
    features.forEach(
        (k, v) -> {
          long[] dims = new long[v.shape().length + 1];
          dims[0] = b;
          System.arraycopy(v.shape(), 0, dims, 1, v.shape().length);
          f.put(k, m.create(v.values(), new Shape(dims)));
        });
    return new StepOutputs(m.create(logits, new Shape(b, classes)), f);
  }
}
