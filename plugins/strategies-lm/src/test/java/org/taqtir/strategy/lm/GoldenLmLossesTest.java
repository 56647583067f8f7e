package org.taqtir.strategy.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.TokenAlignment;
import org.taqtir.api.TopK;

/**
 * Every token-level divergence against the NumPy implementation in golden/golden_lm_losses.py
 * (float64, position by position): dense, temperature, padded positions, peaked logits, a top-4
 * teacher with its tail, the endpoints of β and λ. To 1e-5 relative (the Java side runs in
 * float32).
 */
class GoldenLmLossesTest {

  /** One case of the JSON file. */
  record Case(
      String strategy,
      Map<String, Object> params,
      String note,
      int batch,
      int time,
      int vocabulary,
      double[] studentLogits,
      double[] teacherLogits,
      int[] labels,
      int topK,
      @JsonProperty("top_k_ids") long[] topKIds,
      @JsonProperty("top_k_log_probs") double[] topKLogProbs,
      @JsonProperty("top_k_tail") double[] topKTail,
      double[] alignedSorted,
      double[] alignedSortedMask,
      int alignedK,
      double loss) {}

  /** The file. */
  record File(String generator, List<Case> cases) {}

  @Test
  void lossesMatchTheIndependentNumPyImplementation() throws Exception {
    Map<String, StrategyProvider> providers = new HashMap<>();
    ServiceLoader.load(StrategyProvider.class).forEach(p -> providers.put(p.id(), p));
    ObjectMapper mapper =
        new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    File file;
    try (InputStream in = getClass().getResourceAsStream("/golden/lm-losses.json")) {
      assertNotNull(in, "missing /golden/lm-losses.json");
      file = mapper.readValue(in, File.class);
    }
    assertFalse(file.cases().isEmpty());
    for (Case c : file.cases()) {
      StrategyProvider p = providers.get(c.strategy());
      assertNotNull(p, "golden case for unregistered strategy " + c.strategy());
      double got = loss(p, c);
      assertEquals(
          c.loss(),
          got,
          1e-5 * Math.max(1, Math.abs(c.loss())),
          c.strategy() + " " + c.params() + " (" + c.note() + ")");
    }
  }

  private static double loss(StrategyProvider provider, Case c) {
    Map<String, Object> values = new HashMap<>(provider.params().defaults().values());
    values.putAll(c.params());
    Shape shape = new Shape(c.batch(), c.time(), c.vocabulary());
    try (NDManager root = NDManager.newBaseManager();
        NDManager constants = root.newSubManager();
        NDManager batch = root.newSubManager();
        DistillationStrategy s = provider.create(new Params(values))) {
      s.prepare(new StrategyContext(constants, c.vocabulary(), c.batch(), 10));
      NDArray student = f32(batch, c.studentLogits(), shape);
      Map<String, NDArray> top = Map.of();
      if (c.topK() > 0) {
        Shape k = new Shape(c.batch(), c.time(), c.topK());
        top =
            Map.of(
                TopK.IDS,
                batch.create(c.topKIds(), k).toType(DataType.FLOAT32, false),
                TopK.LOG_PROBS,
                f32(batch, c.topKLogProbs(), k),
                TopK.TAIL,
                f32(batch, c.topKTail(), new Shape(c.batch(), c.time())));
      }
      if (c.alignedK() > 0) {
        Shape bt = new Shape(c.batch(), c.time());
        top =
            Map.of(
                TokenAlignment.MASK,
                batch.ones(bt),
                TokenAlignment.SORTED,
                f32(batch, c.alignedSorted(), new Shape(c.batch(), c.time(), c.alignedK())),
                TokenAlignment.SORTED_MASK,
                f32(batch, c.alignedSortedMask(), bt));
      }
      StepOutputs teacher = new StepOutputs(f32(batch, c.teacherLogits(), shape), top);
      NDArray y = batch.create(c.labels(), new Shape(c.batch(), c.time()));
      BatchContext ctx = new BatchContext(batch, y, null, batch.arange(0L, (long) c.batch()), 0, 0);
      return s.loss(new StepOutputs(student, Map.of()), teacher, ctx)
          .toType(DataType.FLOAT64, false)
          .getDouble();
    }
  }

  private static NDArray f32(NDManager m, double[] v, Shape shape) {
    return m.create(v, shape).toType(DataType.FLOAT32, false);
  }
}
