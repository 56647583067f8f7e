package org.taqtir.text.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;
import org.taqtir.core.registry.ParamResolver;

/**
 * The language models: causal (a position's logits never depend on later tokens), the shapes and
 * taps they declare, gradients reaching every parameter; seeded generation repeatable.
 */
class LanguageModelsTest {

  private static final int V = 11;
  private static final int T = 8;

  private static Student build(StudentProvider p, Map<String, Object> params) {
    return p.create(
        ParamResolver.resolve(p.id(), p.params(), params, "architecture.params"),
        new ModelShape(new Shape(T), V));
  }

  private static float[] logits(Model model, NDManager m, int[] ids) {
    ParameterStore store = new ParameterStore(m, false);
    NDArray x = m.create(ids, new Shape(1, ids.length));
    return model.getBlock().forward(store, new NDList(x), false).get(0).toFloatArray();
  }

  private static void causalAndShaped(StudentProvider p, Map<String, Object> params, int taps) {
    Engine.getInstance().setRandomSeed(3);
    Student s = build(p, params);
    try (NDManager m = NDManager.newBaseManager();
        Model model = Model.newInstance("lm")) {
      model.setBlock(s.block());
      s.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, T));
      assertEquals(taps, s.taps().size(), s.taps().toString());
      Shape[] shapes = s.block().getOutputShapes(new Shape[] {new Shape(2, T)});
      assertEquals(new Shape(2, T, V), shapes[0]);
      assertEquals(1 + taps, shapes.length);
      int[] a = {1, 2, 3, 4, 5, 6, 7, 8};
      int[] b = {1, 2, 3, 4, 9, 9, 9, 9};
      float[] la = logits(model, m, a);
      float[] lb = logits(model, m, b);
      for (int i = 0; i < 4 * V; i++) {
        assertEquals(la[i], lb[i], 1e-6, p.id() + ": position " + i / V + " saw a later token");
      }
      boolean differ = false;
      for (int i = 4 * V; i < T * V; i++) {
        differ |= la[i] != lb[i];
      }
      assertTrue(differ, "later positions do see the changed tokens");
      // every parameter gets a gradient from a next-token loss
      ParameterStore store = new ParameterStore(model.getNDManager(), false);
      for (var param : s.block().getParameters().values()) {
        param.getArray().setRequiresGradient(true);
      }
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray x = m.create(a, new Shape(1, T));
        NDList out = s.block().forward(store, new NDList(x), true);
        NDArray loss = out.get(0).logSoftmax(2).get(new NDIndex(":, :, 0")).sum().neg();
        gc.backward(loss);
      }
      for (var param : s.block().getParameters()) {
        float[] g = param.getValue().getArray().getGradient().toFloatArray();
        double norm = 0;
        for (float v : g) {
          norm += v * v;
        }
        assertTrue(norm > 0, p.id() + ": no gradient reached " + param.getKey());
      }
    }
  }

  @Test
  void gptIsCausalShapedAndTrainable() {
    causalAndShaped(new LanguageModels.Gpt(), Map.of("layers", 2, "width", 16, "heads", 2), 4);
  }

  @Test
  void lstmIsCausalShapedAndTrainable() {
    causalAndShaped(new LanguageModels.Lstm(), Map.of("width", 8, "state", 16), 1);
  }

  @Test
  void seededGenerationRepeatsAndGreedyTakesTheArgmax() {
    Engine.getInstance().setRandomSeed(5);
    Student s = build(new LanguageModels.Gpt(), Map.of("layers", 1, "width", 16, "heads", 2));
    try (NDManager m = NDManager.newBaseManager();
        Model model = Model.newInstance("lm")) {
      model.setBlock(s.block());
      s.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, T));
      ParameterStore store = new ParameterStore(model.getNDManager(), false);
      Function<NDArray, NDArray> f = x -> s.block().forward(store, new NDList(x), false).get(0);
      Generator g = new Generator(f, T);
      int[][] prompts = {{1, 2, 3}, {4, 5, 6}};
      var a = g.generate(prompts, 12, Generator.Decoding.sample(1.0, 9), m);
      var b = g.generate(prompts, 12, Generator.Decoding.sample(1.0, 9), m);
      var c = g.generate(prompts, 12, Generator.Decoding.sample(1.0, 10), m);
      assertArrayEquals(a.tokens()[0], b.tokens()[0]);
      assertArrayEquals(a.tokens()[1], b.tokens()[1]);
      assertNotEquals(
          java.util.Arrays.toString(a.tokens()[0]) + java.util.Arrays.toString(a.tokens()[1]),
          java.util.Arrays.toString(c.tokens()[0]) + java.util.Arrays.toString(c.tokens()[1]));
      var greedy = g.generate(new int[][] {{1, 2, 3}}, 1, Generator.Decoding.GREEDY, m);
      float[] l = logits(model, m, new int[] {1, 2, 3});
      int best = 0;
      for (int k = 1; k < V; k++) {
        best = l[2 * V + k] > l[2 * V + best] ? k : best;
      }
      assertEquals(best, greedy.tokens()[0][0]);
      assertTrue(a.tokensPerSecond() > 0);
    }
  }

  @Test
  void topKAndTopPKeepOnlyTheMostLikelyTokens() {
    float[] logits = {0f, 5f, 4f, 1f};
    var random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 200; i++) {
      int k1 = Generator.choose(logits, 0, 4, new Generator.Decoding(1, 1, 1, 0), random);
      assertEquals(1, k1);
      int k2 = Generator.choose(logits, 0, 4, new Generator.Decoding(1, 2, 1, 0), random);
      assertTrue(k2 == 1 || k2 == 2, "top-2 gave " + k2);
      int p = Generator.choose(logits, 0, 4, new Generator.Decoding(1, 0, 0.5, 0), random);
      assertEquals(1, p, "p(1) = 0.72 alone reaches top-p 0.5");
    }
  }
}
