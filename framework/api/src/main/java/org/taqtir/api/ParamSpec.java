package org.taqtir.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered list of parameters a plugin accepts.
 *
 * @param params the definitions, in the order {@code taqtir describe} shows them
 */
public record ParamSpec(List<ParamDef> params) {

  /** A spec with no parameters. */
  public static final ParamSpec EMPTY = new ParamSpec(List.of());

  /** Copies the list and rejects duplicate names. */
  public ParamSpec {
    params = List.copyOf(params);
    long distinct = params.stream().map(ParamDef::name).distinct().count();
    if (distinct != params.size()) {
      throw new IllegalArgumentException("duplicate parameter names in " + params);
    }
  }

  /**
   * Builds a spec from definitions.
   *
   * @param defs the parameter definitions
   * @return the spec
   */
  public static ParamSpec of(ParamDef... defs) {
    return new ParamSpec(List.of(defs));
  }

  /**
   * Finds a parameter by name.
   *
   * @param name the parameter key
   * @return the definition, or empty when the plugin has no such parameter
   */
  public Optional<ParamDef> find(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * Validates raw values, as read from a study file's YAML, and fills in defaults: the one place
   * where the study parser (and the contract kit's round trip) turn {@code params: {...}} into
   * {@link Params}.
   *
   * <p>Rules: a key this spec does not declare is an error; a missing key takes its default; {@link
   * ParamType#DOUBLE} accepts any finite number (an integer too); {@link ParamType#INT} accepts
   * whole numbers written without a decimal point ({@code 2.0} is refused) that fit an {@code int};
   * {@link ParamType#BOOLEAN} only {@code true}/{@code false}; {@link ParamType#STRING} only
   * strings, one of the choices when there are any; {@link ParamType#INT_LIST} a list of such
   * integers; {@link ParamType#DOUBLE_LIST} a list of finite numbers; {@link ParamType#PLUGIN_LIST}
   * a list of {@code {id, params}} maps or bare ids (their parameters are left to the plugin that
   * holds the list). Every number (each list element) must lie in the parameter's {@link Range}.
   * Values come back as {@code Double}, {@code Integer}, {@code Boolean}, {@code String}, or an
   * unmodifiable list of {@code Integer}, {@code Double} or {@link PluginCall}, in this spec's
   * order.
   *
   * @param pluginId the plugin's id, for messages
   * @param raw the values as read from YAML; {@code null} means none
   * @param field the config path of the map, e.g. {@code strategies[1].params}, prefixed to every
   *     message
   * @return complete, typed parameters
   * @throws ParamException naming the field, the bad value and what is allowed
   */
  public Params resolve(String pluginId, Map<String, ?> raw, String field) {
    return ParamValues.resolve(pluginId, this, raw, field);
  }

  /**
   * Returns every parameter at its default value.
   *
   * @return resolved parameters with all defaults filled in
   */
  public Params defaults() {
    Map<String, Object> values = new LinkedHashMap<>();
    for (ParamDef p : params) {
      values.put(p.name(), p.defaultValue());
    }
    return new Params(values);
  }
}
