package org.taqtir.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.api.Params;
import org.taqtir.api.PluginCall;
import org.taqtir.api.StrategyProvider;

/**
 * Parameters written as the {@code strategies:} entry of a study file, the way Taqtir writes a
 * resolved study for {@code taqtir reproduce} (Jackson YAML, quotes only where needed), and read
 * back the way the study parser reads one: YAML to plain values, then {@link
 * org.taqtir.api.ParamSpec#resolve}.
 */
final class StudyYamlRoundTrip {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .build());

  private StudyYamlRoundTrip() {}

  static String write(String id, Params params) {
    Map<String, Object> values = new LinkedHashMap<>();
    params.values().forEach((k, v) -> values.put(k, plain(v)));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", id);
    entry.put("params", values);
    try {
      return YAML.writeValueAsString(Map.of("strategies", List.of(entry)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + params + " as YAML: " + e, e);
    }
  }

  private static Object plain(Object v) {
    if (v instanceof PluginCall c) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", c.id());
      m.put("params", c.params());
      return m;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(StudyYamlRoundTrip::plain).toList();
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  static Params read(StrategyProvider provider, String yaml) {
    Map<String, Object> root;
    try {
      root = YAML.readValue(yaml, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage(), e);
    }
    Map<String, Object> entry = ((List<Map<String, Object>>) root.get("strategies")).get(0);
    Map<String, Object> params = (Map<String, Object>) entry.get("params");
    return provider.params().resolve(provider.id(), params, "strategies[0].params");
  }
}
