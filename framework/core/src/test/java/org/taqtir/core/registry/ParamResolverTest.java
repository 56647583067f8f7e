package org.taqtir.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.registry.fake.FakeKdStrategy;
import org.taqtir.core.registry.fake.FakeMlpStudent;

class ParamResolverTest {

  private static final ParamSpec KD = new FakeKdStrategy().params();
  private static final ParamSpec MLP = new FakeMlpStudent().params();
  private static final String KD_FIELD = "strategies[1].params";
  private static final String MLP_FIELD = "students[0].architecture.params";

  @Test
  void missingValuesTakeTheirDefaults() {
    Params p = ParamResolver.resolve("mlp", MLP, Map.of(), MLP_FIELD);
    assertEquals(
        Map.of(
            "hidden",
            List.of(128),
            "dropout",
            0.0,
            "groups",
            1,
            "bias",
            true,
            "activation",
            "relu"),
        p.values());
    assertEquals(p, ParamResolver.resolve("mlp", MLP, null, MLP_FIELD));
    assertEquals(
        List.of("hidden", "dropout", "groups", "bias", "activation"),
        List.copyOf(p.values().keySet()));
  }

  @Test
  void everyTypeIsReadAndNormalised() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("hidden", List.of(1200, 600L));
    raw.put("dropout", 0);
    raw.put("groups", 3L);
    raw.put("bias", false);
    raw.put("activation", "tanh");
    Params p = ParamResolver.resolve("mlp", MLP, raw, MLP_FIELD);
    assertEquals(List.of(1200, 600), p.getIntList("hidden"));
    assertEquals(Double.class, p.values().get("dropout").getClass());
    assertEquals(0.0, p.getDouble("dropout"));
    assertEquals(Integer.class, p.values().get("groups").getClass());
    assertEquals(3, p.getInt("groups"));
    assertEquals(false, p.getBoolean("bias"));
    assertEquals("tanh", p.getString("activation"));

    Params kd =
        ParamResolver.resolve(
            "hinton-kd", KD, Map.of("temperature", new BigDecimal("2.5")), KD_FIELD);
    assertEquals(Map.of("temperature", 2.5, "alpha", 0.9), kd.values());
  }

  @Test
  void unknownKeyListsTheParametersAndTheClosest() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ParamResolver.resolve("hinton-kd", KD, Map.of("temprature", 2), KD_FIELD));
    assertEquals(
        "strategies[1].params.temprature is not a parameter of hinton-kd; allowed: alpha,"
            + " temperature; did you mean 'temperature'?",
        e.getMessage());
    assertEquals("strategies[1].params.temprature", e.field());
    assertEquals(0, e.line());
    assertNull(e.file());

    e =
        assertThrows(
            ConfigException.class,
            () -> ParamResolver.resolve("hinton-kd", KD, Map.of("beta", 2), KD_FIELD));
    assertEquals(
        "strategies[1].params.beta is not a parameter of hinton-kd; allowed: alpha, temperature",
        e.getMessage());

    e =
        assertThrows(
            ConfigException.class,
            () ->
                ParamResolver.resolve(
                    "labels-only", ParamSpec.EMPTY, Map.of("t", 1), "strategies[0].params"));
    assertEquals(
        "strategies[0].params.t is not a parameter of labels-only; allowed: (none)",
        e.getMessage());
  }

  @Test
  void outOfRangeNumbersAreShownAsWritten() {
    assertKd(Map.of("temperature", -1), "strategies[1].params.temperature must be > 0, found -1");
    assertKd(Map.of("temperature", 0.0), "strategies[1].params.temperature must be > 0, found 0.0");
    assertKd(Map.of("alpha", 1.5), "strategies[1].params.alpha must be in [0, 1], found 1.5");
    assertMlp(Map.of("groups", 0), "students[0].architecture.params.groups must be >= 1, found 0");
    assertMlp(
        Map.of("dropout", 1), "students[0].architecture.params.dropout must be in [0, 1), found 1");
    assertMlp(
        Map.of("hidden", List.of(128, 0)),
        "students[0].architecture.params.hidden[1] must be >= 1, found 0");
  }

  @Test
  void wrongTypesSayWhatIsAllowed() {
    assertKd(
        Map.of("temperature", "abc"),
        "strategies[1].params.temperature must be a number > 0, found \"abc\"");
    assertKd(
        Map.of("temperature", true),
        "strategies[1].params.temperature must be a number > 0, found true");
    assertKd(
        Map.of("temperature", Double.NaN),
        "strategies[1].params.temperature must be a finite number > 0, found NaN");
    String groups = "students[0].architecture.params.groups must be an integer >= 1, found ";
    assertMlp(Map.of("groups", 2.0), groups + "2.0");
    assertMlp(Map.of("groups", 2.5), groups + "2.5");
    assertMlp(Map.of("groups", "3"), groups + "\"3\"");
    assertMlp(Map.of("groups", 3_000_000_000L), groups + "3000000000");
    assertMlp(
        Map.of("bias", "true"),
        "students[0].architecture.params.bias must be true or false, found \"true\"");
    assertMlp(
        Map.of("bias", 1), "students[0].architecture.params.bias must be true or false, found 1");
    assertMlp(
        Map.of("activation", "gelu"),
        "students[0].architecture.params.activation must be one of relu, tanh, found \"gelu\"");
    assertMlp(
        Map.of("activation", 3),
        "students[0].architecture.params.activation must be one of relu, tanh, found 3");
    assertMlp(
        Map.of("hidden", 128),
        "students[0].architecture.params.hidden must be a list of integers, each >= 1, found 128");
    assertMlp(
        Map.of("hidden", List.of(128, 1.5)),
        "students[0].architecture.params.hidden[1] must be an integer >= 1, found 1.5");
    Map<String, Object> nullValue = new LinkedHashMap<>();
    nullValue.put("hidden", Arrays.asList(64, null));
    assertMlp(
        nullValue, "students[0].architecture.params.hidden[1] must be an integer >= 1, found null");
  }

  private static void assertKd(Map<String, ?> raw, String message) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ParamResolver.resolve("hinton-kd", KD, raw, KD_FIELD));
    assertEquals(message, e.getMessage());
  }

  private static void assertMlp(Map<String, ?> raw, String message) {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ParamResolver.resolve("mlp", MLP, raw, MLP_FIELD));
    assertEquals(message, e.getMessage());
  }

  private static final ParamSpec ENSEMBLE =
      ParamSpec.of(
          org.taqtir.api.ParamDef.ofPluginList("members", "teachers"),
          org.taqtir.api.ParamDef.ofDoubleList(
              "weights", List.of(), org.taqtir.api.Range.greaterThan(0), "weights"));

  @Test
  void pluginListsAndNumberListsKeepStructureAndNameTheBadElement() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("members", List.of("djl-model", Map.of("id", "onnx", "params", Map.of("path", "m"))));
    raw.put("weights", List.of(1, 2.5));
    Params p = ParamResolver.resolve("ensemble", ENSEMBLE, raw, "teacher.load.params");
    var members = p.getPluginList("members");
    assertEquals("djl-model", members.get(0).id());
    assertEquals(Map.of(), members.get(0).params());
    assertEquals(Map.of("path", "m"), members.get(1).params());
    assertEquals("teacher.load.params.members[1]", members.get(1).field());
    assertEquals(List.of(1.0, 2.5), p.getDoubleList("weights"));
    assertEquals(
        "teacher.load.params.members[0].param is not allowed here; allowed: id, params",
        assertThrows(
                ConfigException.class,
                () ->
                    ParamResolver.resolve(
                        "ensemble",
                        ENSEMBLE,
                        Map.of("members", List.of(Map.of("id", "onnx", "param", Map.of()))),
                        "teacher.load.params"))
            .getMessage());
    assertEquals(
        "teacher.load.params.weights[1] must be > 0, found -1",
        assertThrows(
                ConfigException.class,
                () ->
                    ParamResolver.resolve(
                        "ensemble",
                        ENSEMBLE,
                        Map.of("weights", List.of(1, -1)),
                        "teacher.load.params"))
            .getMessage());
  }
}
