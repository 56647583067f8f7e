package org.taqtir.teacher.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;

class OnnxTeacherProviderTest {

  private static final ModelShape IMAGES = new ModelShape(new Shape(1, 28, 28), 10);

  private static Params params(Object... kv) {
    var p = new OnnxTeacherProvider();
    Map<String, Object> v = new LinkedHashMap<>(p.params().defaults().values());
    v.put("path", "fashion-cnn.onnx");
    for (int i = 0; i < kv.length; i += 2) {
      v.put((String) kv[i], kv[i + 1]);
    }
    return new Params(v);
  }

  private static JsonObject reference() throws Exception {
    return JsonUtils.GSON.fromJson(
        Files.readString(Fixture.dir().resolve("fashion-cnn.json")), JsonObject.class);
  }

  /** The reference inputs as Taqtir scales pixels: byte / 255f, shape (n, 784). */
  private static float[] probes(JsonObject ref) {
    JsonArray rows = ref.getAsJsonArray("input_pixels");
    float[] x = new float[rows.size() * 784];
    for (int i = 0; i < rows.size(); i++) {
      JsonArray r = rows.get(i).getAsJsonArray();
      for (int k = 0; k < 784; k++) {
        x[i * 784 + k] = r.get(k).getAsInt() / 255f;
      }
    }
    return x;
  }

  private static void assertReproduces(JsonObject ref, float[] logits) {
    JsonArray expected = ref.getAsJsonArray("logits");
    for (int i = 0; i < expected.size(); i++) {
      JsonArray row = expected.get(i).getAsJsonArray();
      for (int c = 0; c < 10; c++) {
        double e = row.get(c).getAsDouble();
        assertEquals(e, logits[i * 10 + c], 1e-5, "probe " + i + " class " + c);
      }
    }
  }

  @Test
  void reproducesThePyTorchLogitsOfTheExportedModel() throws Exception {
    JsonObject ref = reference();
    float[] x = probes(ref);
    int n = x.length / 784;
    try (NDManager m = NDManager.newBaseManager();
        Teacher t = new OnnxTeacherProvider().create(params(), Fixture.context(m, IMAGES))) {
      float[] logits =
          t.forward(m.create(x, new Shape(n, 1, 28, 28)), Set.of()).logits().toFloatArray();
      assertReproduces(ref, logits);
      assertTrue(t.taps().isEmpty(), "an ONNX teacher exposes logits only");
      assertEquals(-1, t.parameterCount());
    }
  }

  @Test
  void flatFeaturesAreReshapedToTheModelsFixedInputShape() throws Exception {
    JsonObject ref = reference();
    float[] x = probes(ref);
    int n = x.length / 784;
    ModelShape flat = new ModelShape(new Shape(784), 10);
    try (NDManager m = NDManager.newBaseManager();
        Teacher t = new OnnxTeacherProvider().create(params(), Fixture.context(m, flat))) {
      assertReproduces(
          ref, t.forward(m.create(x, new Shape(n, 784)), Set.of()).logits().toFloatArray());
      assertTrue(t.describe().contains("(1, 28, 28)"), t.describe());
    }
  }

  @Test
  void runsNextToThePyTorchEngineWhichStaysTheDefault() throws Exception {
    try (NDManager m = NDManager.newBaseManager();
        Teacher t = new OnnxTeacherProvider().create(params(), Fixture.context(m, IMAGES))) {
      NDArray x = m.randomUniform(0, 1, new Shape(3, 1, 28, 28));
      NDArray logits = t.forward(x, Set.of()).logits();
      assertEquals("PyTorch", Engine.getInstance().getEngineName());
      assertEquals("PyTorch", logits.getManager().getEngine().getEngineName());
      // the teacher's logits feed a PyTorch computation directly
      assertEquals(3, logits.softmax(1).sum(new int[] {1}).toFloatArray().length);
    }
  }

  @Test
  void fingerprintIsTheModelFilesHashPlusThePreprocessing() throws Exception {
    Path file = Fixture.dir().resolve("fashion-cnn.onnx");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(Files.readAllBytes(file));
    md.update("\npreprocessing=mean=0.0;std=1.0;outputs=logits".getBytes(StandardCharsets.UTF_8));
    String expected = HexFormat.of().formatHex(md.digest());
    try (NDManager m = NDManager.newBaseManager()) {
      var p = new OnnxTeacherProvider();
      String plain;
      try (Teacher t = p.create(params(), Fixture.context(m, IMAGES))) {
        plain = t.fingerprint();
      }
      assertEquals(expected, plain);
      try (Teacher t = p.create(params("mean", 0.5), Fixture.context(m, IMAGES))) {
        assertNotEquals(plain, t.fingerprint(), "preprocessing is part of the fingerprint");
      }
    }
  }

  @Test
  void mismatchedShapesFailAtCreationNamingFileExpectedAndFound() {
    try (NDManager m = NDManager.newBaseManager()) {
      var p = new OnnxTeacherProvider();
      var input =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  p.create(params(), Fixture.context(m, new ModelShape(new Shape(3, 32, 32), 10))));
      assertTrue(
          input
                  .getMessage()
                  .contains(
                      "fashion-cnn.onnx input 'image' expects samples of shape" + " (1, 28, 28)")
              && input.getMessage().contains("the data has samples of shape (3, 32, 32)"),
          input.getMessage());
      var classes =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  p.create(params(), Fixture.context(m, new ModelShape(new Shape(1, 28, 28), 5))));
      assertTrue(
          classes.getMessage().contains("output 'logits' has 10 classes, but the data has 5"),
          classes.getMessage());
      var missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> p.create(params("path", "nope.onnx"), Fixture.context(m, IMAGES)));
      assertTrue(missing.getMessage().contains("nope.onnx not found"), missing.getMessage());
    }
  }

  @Test
  void feedShapeRules() {
    long[] image = {1, 28, 28};
    assertArrayEquals(image, OnnxTeacherProvider.feedShape(new long[] {1, 28, 28}, image));
    assertArrayEquals(image, OnnxTeacherProvider.feedShape(new long[] {1, -1, -1}, image));
    assertArrayEquals(new long[] {784}, OnnxTeacherProvider.feedShape(new long[] {784}, image));
    assertArrayEquals(
        new long[] {784}, OnnxTeacherProvider.feedShape(new long[] {-1}, new long[] {784}));
    assertNull(OnnxTeacherProvider.feedShape(new long[] {-1}, image));
    assertNull(OnnxTeacherProvider.feedShape(new long[] {3, 32, 32}, image));
  }
}
