package org.taqtir.student.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;

class MlpStudentTest {

  private static final ModelShape SHAPE = new ModelShape(new Shape(1, 4, 4), 3);

  private static Student mlp(List<Integer> hidden) {
    return new MlpStudentProvider()
        .create(new Params(Map.of("hidden", hidden, "activation", "relu", "dropout", 0.0)), SHAPE);
  }

  @Test
  void discoveredByServiceLoader() {
    assertEquals(
        List.of("mlp", "cnn"),
        ServiceLoader.load(StudentProvider.class).stream().map(p -> p.get().id()).toList());
  }

  @Test
  void forwardReturnsLogitsThenOneTapPerHiddenLayer() {
    Student s = mlp(List.of(8, 5));
    assertEquals(List.of("hidden1", "hidden2"), s.taps());
    assertEquals("mlp 16-8-5-3", s.describe());
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      s.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 4, 4));
      NDArray x = m.randomUniform(0, 1, new Shape(2, 1, 4, 4));
      NDList out = s.block().forward(new ParameterStore(m, false), new NDList(x), false);
      assertEquals(3, out.size());
      assertEquals(new Shape(2, 3), out.get(0).getShape());
      assertEquals(new Shape(2, 8), out.get(1).getShape());
      assertEquals(new Shape(2, 5), out.get(2).getShape());
      Shape[] declared = s.block().getOutputShapes(new Shape[] {new Shape(2, 1, 4, 4)});
      assertEquals(out.get(0).getShape(), declared[0]);
      assertEquals(out.get(2).getShape(), declared[2]);
      // hidden1 is the ReLU of the first linear layer: recompute it from the parameters.
      NDArray w = param(s, "hidden1_weight");
      NDArray b = param(s, "hidden1_bias");
      NDArray expected = Activation.relu(x.reshape(2, 16).matMul(w.transpose()).add(b));
      assertArrayEquals(expected.toFloatArray(), out.get(1).toFloatArray(), 1e-6f);
      assertEquals(16 * 8 + 8 + 8 * 5 + 5 + 5 * 3 + 3, parameterCount(s));
    }
  }

  @Test
  void sameSeedSameInitialisation() {
    float[] a = firstWeights(11);
    float[] b = firstWeights(11);
    float[] c = firstWeights(12);
    assertArrayEquals(a, b);
    assertEquals(false, java.util.Arrays.equals(a, c));
  }

  private static float[] firstWeights(int seed) {
    Student s = mlp(List.of(6));
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(seed);
      s.block().initialize(m, DataType.FLOAT32, new Shape(1, 1, 4, 4));
      return param(s, "hidden1_weight").toFloatArray();
    }
  }

  /** DJL prefixes child names with their index ("01hidden1_weight"); match the suffix. */
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
