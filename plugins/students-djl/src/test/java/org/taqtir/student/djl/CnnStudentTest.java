package org.taqtir.student.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Student;

class CnnStudentTest {

  private static Student cnn(
      ModelShape shape, List<Integer> channels, int kernel, List<Integer> h) {
    return new CnnStudentProvider()
        .create(
            new Params(Map.of("channels", channels, "kernel", kernel, "hidden", h, "dropout", 0.0)),
            shape);
  }

  @Test
  void defaultsOnFashionMnistGiveLeNetShapesAndParameterCount() {
    ModelShape shape = new ModelShape(new Shape(1, 28, 28), 10);
    Student s =
        new CnnStudentProvider().create(new CnnStudentProvider().params().defaults(), shape);
    assertEquals(List.of("block1", "block2", "flatten", "hidden1"), s.taps());
    assertEquals("cnn 1x28x28-c16-c32-128-10 k5", s.describe());
    Shape[] declared = s.block().getOutputShapes(new Shape[] {new Shape(3, 1, 28, 28)});
    assertEquals(new Shape(3, 10), declared[0]);
    assertEquals(new Shape(3, 16, 14, 14), declared[1]);
    assertEquals(new Shape(3, 32, 7, 7), declared[2]);
    assertEquals(new Shape(3, 1568), declared[3]);
    assertEquals(new Shape(3, 128), declared[4]);
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(3);
      s.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
      // LeNet arithmetic: 1·16·25+16 + 16·32·25+32 + 1568·128+128 + 128·10+10
      assertEquals(215_370, parameterCount(s));
      NDArray x = m.randomUniform(0, 1, new Shape(3, 784));
      NDList out = s.block().forward(new ParameterStore(m, false), new NDList(x), false);
      for (int i = 0; i < out.size(); i++) {
        assertEquals(declared[i], out.get(i).getShape(), "output " + i);
      }
      NDList same =
          s.block()
              .forward(new ParameterStore(m, false), new NDList(x.reshape(3, 1, 28, 28)), false);
      assertArrayEquals(out.get(0).toFloatArray(), same.get(0).toFloatArray());
    }
  }

  /** block1 recomputed from the weights by explicit loops: conv (zero padding), ReLU, max pool. */
  @Test
  void block1IsConvReluMaxPoolOfTheInput() {
    int c = 2;
    int k = 3;
    int side = 6;
    Student s = cnn(new ModelShape(new Shape(side * side), 3), List.of(c), k, List.of());
    assertEquals(List.of("block1", "flatten"), s.taps());
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      s.block().initialize(m, DataType.FLOAT32, new Shape(1, side * side));
      NDArray x = m.randomNormal(new Shape(2, side * side));
      NDList out = s.block().forward(new ParameterStore(m, false), new NDList(x), false);
      float[] w = param(s, "conv1_weight").toFloatArray(); // (c, 1, k, k)
      float[] b = param(s, "conv1_bias").toFloatArray();
      float[] in = x.toFloatArray();
      double[] expected = new double[2 * c * 3 * 3];
      for (int n = 0; n < 2; n++) {
        for (int o = 0; o < c; o++) {
          double[][] conv = new double[side][side];
          for (int i = 0; i < side; i++) {
            for (int j = 0; j < side; j++) {
              double v = b[o];
              for (int di = 0; di < k; di++) {
                for (int dj = 0; dj < k; dj++) {
                  int ii = i + di - 1;
                  int jj = j + dj - 1;
                  if (ii >= 0 && ii < side && jj >= 0 && jj < side) {
                    v += w[o * k * k + di * k + dj] * in[n * side * side + ii * side + jj];
                  }
                }
              }
              conv[i][j] = Math.max(0, v);
            }
          }
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              double mx =
                  Math.max(
                      Math.max(conv[2 * i][2 * j], conv[2 * i][2 * j + 1]),
                      Math.max(conv[2 * i + 1][2 * j], conv[2 * i + 1][2 * j + 1]));
              expected[((n * c + o) * 3 + i) * 3 + j] = mx;
            }
          }
        }
      }
      assertEquals(new Shape(2, c, 3, 3), out.get(1).getShape());
      float[] got = out.get(1).toFloatArray();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], got[i], 1e-5, "block1[" + i + "]");
      }
      assertArrayEquals(got, out.get(2).toFloatArray(), "flatten is block1 reshaped");
    }
  }

  @Test
  void savedWeightsReloadIntoAFreshArchitecture(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    ModelShape shape = new ModelShape(new Shape(1, 8, 8), 4);
    float[] before;
    float[] input = new float[2 * 64];
    for (int i = 0; i < input.length; i++) {
      input[i] = (i % 7) / 7f;
    }
    try (Model model = Model.newInstance("t")) {
      Engine.getInstance().setRandomSeed(9);
      model.setBlock(cnn(shape, List.of(3, 4), 3, List.of(5)).block());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 8, 8));
      before = logits(model, input);
      model.save(dir, "t");
    }
    assertTrue(Files.exists(dir.resolve("t-0000.params")));
    try (Model model = Model.newInstance("t")) {
      model.setBlock(cnn(shape, List.of(3, 4), 3, List.of(5)).block());
      model.load(dir, "t");
      assertArrayEquals(before, logits(model, input));
    }
  }

  @Test
  void refusesTooManyBlocksAndNonImageInput() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cnn(new ModelShape(new Shape(1, 8, 8), 3), List.of(4, 4, 4, 4), 3, List.of()));
    assertTrue(e.getMessage().contains("at block 4"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> cnn(new ModelShape(new Shape(10), 3), List.of(4), 3, List.of()));
    assertTrue(e.getMessage().contains("(10)"), e.getMessage());
  }

  private static float[] logits(Model model, float[] input) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray x = m.create(input, new Shape(2, 1, 8, 8));
      return model
          .getBlock()
          .forward(new ParameterStore(m, false), new NDList(x), false)
          .get(0)
          .toFloatArray();
    }
  }

  private static NDArray param(Student s, String suffix) {
    return s.block().getParameters().stream()
        .filter(p -> p.getKey().endsWith(suffix))
        .findFirst()
        .orElseThrow()
        .getValue()
        .getArray();
  }

  private static long parameterCount(Student s) {
    return s.block().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
  }
}
