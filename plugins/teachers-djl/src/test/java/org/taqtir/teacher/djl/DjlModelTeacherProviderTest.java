package org.taqtir.teacher.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.student.djl.MlpStudentProvider;

class DjlModelTeacherProviderTest {

  private static final ModelShape SHAPE = new ModelShape(new Shape(1, 4, 4), 3);

  @TempDir Path dir;

  private static Student mlp() {
    return new MlpStudentProvider()
        .create(
            new Params(Map.of("hidden", List.of(6), "activation", "relu", "dropout", 0.0)), SHAPE);
  }

  /** Saves a freshly initialised MLP the way the core saves a trained teacher. */
  private float[] saveTeacher(Path to, int seed, NDArray probe) throws Exception {
    Student s = mlp();
    try (Model model = Model.newInstance(DjlModelTeacherProvider.MODEL_NAME)) {
      model.setBlock(s.block());
      Engine.getInstance().setRandomSeed(seed);
      s.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 4, 4));
      Files.createDirectories(to);
      model.save(to, DjlModelTeacherProvider.MODEL_NAME);
      Files.writeString(
          to.resolve(DjlModelTeacherProvider.DESCRIPTOR),
          "{\"architecture\": \"mlp\", \"params\": {\"hidden\": [6], \"activation\": \"relu\","
              + " \"dropout\": 0.0}, \"input_shape\": [1, 4, 4], \"classes\": 3}");
      NDList out =
          s.block()
              .forward(new ParameterStore(model.getNDManager(), false), new NDList(probe), false);
      return out.get(0).toFloatArray();
    }
  }

  private static TeacherContext context(NDManager manager, Path base, ModelShape shape) {
    return new TeacherContext() {
      @Override
      public ModelShape shape() {
        return shape;
      }

      @Override
      public NDManager manager() {
        return manager;
      }

      @Override
      public Path resolve(String path) {
        return base.resolve(path);
      }

      @Override
      public Student architecture(String id, Map<String, Object> params) {
        assertEquals("mlp", id);
        assertEquals(List.of(6), params.get("hidden"), "integers survive the JSON round trip");
        return new MlpStudentProvider()
            .create(
                new Params(
                    Map.of(
                        "hidden", params.get("hidden"),
                        "activation", params.get("activation"),
                        "dropout", ((Number) params.get("dropout")).doubleValue())),
                shape);
      }
    };
  }

  @Test
  void reloadsTheSameFunctionWithDetachedOutputsAndTaps() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray probe = m.randomUniform(0, 1, new Shape(5, 1, 4, 4));
      float[] expected = saveTeacher(dir.resolve("t"), 3, probe);
      var provider = new DjlModelTeacherProvider();
      try (Teacher t = provider.create(new Params(Map.of("path", "t")), context(m, dir, SHAPE))) {
        StepOutputs out = t.forward(probe, Set.of("hidden1"));
        assertArrayEquals(expected, out.logits().toFloatArray());
        assertEquals(new Shape(5, 6), out.feature("hidden1").getShape());
        assertFalse(out.logits().hasGradient());
        assertEquals(List.of("hidden1"), t.taps());
        assertEquals(64, t.fingerprint().length());
        assertTrue(t.describe().startsWith("mlp 16-6-3"));
      }
    }
  }

  @Test
  void fingerprintIsStableAndFollowsTheWeights() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray probe = m.zeros(new Shape(1, 1, 4, 4));
      saveTeacher(dir.resolve("a"), 1, probe);
      saveTeacher(dir.resolve("b"), 1, probe);
      saveTeacher(dir.resolve("c"), 2, probe);
      var p = new DjlModelTeacherProvider();
      String a = fingerprint(p, m, "a");
      assertEquals(a, fingerprint(p, m, "a"));
      assertEquals(a, fingerprint(p, m, "b"), "same weights and architecture, same fingerprint");
      assertNotEquals(a, fingerprint(p, m, "c"));
    }
  }

  private String fingerprint(DjlModelTeacherProvider p, NDManager m, String path) {
    try (Teacher t = p.create(new Params(Map.of("path", path)), context(m, dir, SHAPE))) {
      return t.fingerprint();
    }
  }

  @Test
  void clearErrorsForMissingDirectoryAndShapeMismatch() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      var p = new DjlModelTeacherProvider();
      var missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> p.create(new Params(Map.of("path", "nope")), context(m, dir, SHAPE)));
      assertTrue(missing.getMessage().contains("teacher.json not found"), missing.getMessage());
      saveTeacher(dir.resolve("t"), 1, m.zeros(new Shape(1, 1, 4, 4)));
      var wrong =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  p.create(
                      new Params(Map.of("path", "t")),
                      context(m, dir, new ModelShape(new Shape(1, 28, 28), 10))));
      assertTrue(
          wrong.getMessage().contains("expects input (1, 4, 4) and 3 classes"), wrong.getMessage());
    }
  }

  @Test
  void aDamagedTeacherDirectoryIsOneLineNamingTheFile() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      var p = new DjlModelTeacherProvider();
      Path t = dir.resolve("t");
      saveTeacher(t, 1, m.zeros(new Shape(1, 1, 4, 4)));
      Path json = t.resolve(DjlModelTeacherProvider.DESCRIPTOR);
      String good = Files.readString(json);
      Path weights = t.resolve("teacher-0000.params");
      byte[] original = Files.readAllBytes(weights);
      java.util.function.Supplier<String> refused =
          () ->
              assertThrows(
                      IllegalArgumentException.class,
                      () -> p.create(new Params(Map.of("path", "t")), context(m, dir, SHAPE)))
                  .getMessage();

      Files.writeString(json, "[1, 2]");
      assertOneLine(refused.get(), "djl-model: " + json + ": not a JSON object");
      Files.writeString(json, "not json {{{");
      assertOneLine(refused.get(), "djl-model: " + json + ": not valid JSON");
      Files.writeString(json, good.replace("\"classes\"", "\"klasses\""));
      assertOneLine(refused.get(), "djl-model: " + json + ": field classes is missing");
      Files.writeString(json, good);

      byte[] garbage = new byte[1000];
      new java.util.Random(1).nextBytes(garbage);
      Files.write(weights, garbage);
      assertOneLine(refused.get(), "djl-model: " + weights + ": not a DJL parameter file");

      byte[] flipped = original.clone();
      flipped[flipped.length - 9] ^= 0x40;
      Files.write(weights, flipped);
      Files.writeString(
          t.resolve("teacher-0000.params.sha256"),
          java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(original))
              + "  teacher-0000.params\n");
      assertOneLine(
          refused.get(),
          "djl-model: " + weights + ": the teacher's weights do not match the SHA-256 recorded");
      Files.write(weights, original);
      p.create(new Params(Map.of("path", "t")), context(m, dir, SHAPE)).close();
    }
  }

  private static void assertOneLine(String message, String start) {
    assertTrue(message.startsWith(start), message);
    assertEquals(1, message.lines().count(), message);
    assertFalse(message.contains("com.google"), message);
  }
}
