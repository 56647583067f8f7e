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
