package org.taqtir.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One element of a {@link ParamType#PLUGIN_LIST} parameter: another plugin named by id with its
 * parameters as written in the study file, not yet validated (the plugin that holds the list
 * resolves them, e.g. through {@link TeacherContext#teacher}).
 *
 * @param id the plugin id
 * @param params raw parameter values, possibly empty
 * @param field the config path of this element for messages, e.g. {@code
 *     teacher.load.params.members[1]}
 */
public record PluginCall(String id, Map<String, Object> params, String field) {

  /** Copies the map, keeping its order. */
  public PluginCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(field, "field");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
  }
}
