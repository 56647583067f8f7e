package org.taqtir.core.registry;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.ParamType;
import org.taqtir.api.Params;
import org.taqtir.api.PluginCall;
import org.taqtir.api.Range;
import org.taqtir.core.config.ConfigException;
import org.taqtir.core.config.Levenshtein;

/**
 * Turns the raw parameter map of a study file into validated {@link Params}.
 *
 * <p>Rules: a key the {@link ParamSpec} does not declare is an error; a missing key takes its
 * default; {@link ParamType#DOUBLE} accepts any finite number; {@link ParamType#INT} accepts whole
 * numbers written without a decimal point ({@code 2.0} is rejected) that fit an {@code int}; {@link
 * ParamType#BOOLEAN} only {@code true}/{@code false}; {@link ParamType#STRING} only strings, one of
 * the choices when there are any; {@link ParamType#INT_LIST} a list of such integers; {@link
 * ParamType#DOUBLE_LIST} a list of finite numbers; {@link ParamType#PLUGIN_LIST} a list of {@code
 * {id, params}} maps or bare ids (structure only: the owning plugin validates their parameters).
 * Every number (each list element) must lie in the parameter's {@link Range}. Values come back as
 * {@code Double}, {@code Integer}, {@code Boolean}, {@code String} or an unmodifiable {@code
 * List<Integer>}, in the spec's order.
 */
public final class ParamResolver {

  private ParamResolver() {}

  /**
   * Validates raw parameters and fills in defaults.
   *
   * @param pluginId the plugin's id, for messages
   * @param spec the parameters the plugin declares
   * @param raw the values as read from YAML; {@code null} means none
   * @param field the config path of the map, e.g. {@code strategies[1].params}, prefixed to every
   *     message
   * @return complete, typed parameters
   * @throws ConfigException (an {@link IllegalArgumentException}) without a file location, naming
   *     the field, the bad value and what is allowed
   */
  public static Params resolve(String pluginId, ParamSpec spec, Map<String, ?> raw, String field) {
    Map<String, Object> given = new LinkedHashMap<>();
    if (raw != null) {
      for (Map.Entry<String, ?> e : raw.entrySet()) {
        String key = e.getKey();
        String path = join(field, key);
        Optional<ParamDef> def = spec.find(key);
        if (def.isEmpty()) {
          throw new ConfigException(path, path + " " + notAParameter(pluginId, spec, key));
        }
        given.put(key, value(def.get(), e.getValue(), path));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (ParamDef def : spec.params()) {
      out.put(def.name(), given.containsKey(def.name()) ? given.get(def.name()) : normalise(def));
    }
    return new Params(out);
  }

  private static String notAParameter(String pluginId, ParamSpec spec, String key) {
    TreeSet<String> names = new TreeSet<>();
    spec.params().forEach(p -> names.add(p.name()));
    StringBuilder sb =
        new StringBuilder("is not a parameter of ")
            .append(pluginId)
            .append("; allowed: ")
            .append(names.isEmpty() ? "(none)" : String.join(", ", names));
    Levenshtein.closest(key, names)
        .ifPresent(c -> sb.append("; did you mean '").append(c).append("'?"));
    return sb.toString();
  }

  private static String join(String field, String key) {
    return field == null || field.isEmpty() ? key : field + "." + key;
  }

  private static Object value(ParamDef def, Object v, String path) {
    Range range = def.range();
    switch (def.type()) {
      case DOUBLE -> {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          throw typeError(def, v, path);
        }
        checkRange(range, n.doubleValue(), v, path);
        return n.doubleValue();
      }
      case INT -> {
        Integer i = toInt(v);
        if (i == null) {
          throw typeError(def, v, path);
        }
        checkRange(range, i, v, path);
        return i;
      }
      case BOOLEAN -> {
        if (!(v instanceof Boolean)) {
          throw typeError(def, v, path);
        }
        return v;
      }
      case STRING -> {
        if (!(v instanceof String s) || (!def.choices().isEmpty() && !def.choices().contains(s))) {
          throw typeError(def, v, path);
        }
        return s;
      }
      case INT_LIST -> {
        if (!(v instanceof List<?> list)) {
          throw typeError(def, v, path);
        }
        List<Integer> out = new ArrayList<>(list.size());
        for (int k = 0; k < list.size(); k++) {
          Object e = list.get(k);
          String at = path + "[" + k + "]";
          Integer i = toInt(e);
          if (i == null) {
            throw new ConfigException(
                at,
                at
                    + " must be an integer"
                    + (range == Range.ANY ? "" : " " + range)
                    + ", found "
                    + ConfigException.show(e));
          }
          checkRange(range, i, e, at);
          out.add(i);
        }
        return List.copyOf(out);
      }
      case DOUBLE_LIST -> {
        if (!(v instanceof List<?> list)) {
          throw typeError(def, v, path);
        }
        List<Double> out = new ArrayList<>(list.size());
        for (int k = 0; k < list.size(); k++) {
          Object e = list.get(k);
          String at = path + "[" + k + "]";
          if (!(e instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new ConfigException(
                at,
                at
                    + " must be a number"
                    + (range == Range.ANY ? "" : " " + range)
                    + ", found "
                    + ConfigException.show(e));
          }
          checkRange(range, n.doubleValue(), e, at);
          out.add(n.doubleValue());
        }
        return List.copyOf(out);
      }
      case PLUGIN_LIST -> {
        if (!(v instanceof List<?> list)) {
          throw typeError(def, v, path);
        }
        List<PluginCall> out = new ArrayList<>(list.size());
        for (int k = 0; k < list.size(); k++) {
          out.add(pluginCall(list.get(k), path + "[" + k + "]"));
        }
        return List.copyOf(out);
      }
      default -> throw new IllegalStateException("unhandled parameter type " + def.type());
    }
  }

  /** One {@code {id, params}} element (or a bare id) of a plugin list, not yet validated. */
  @SuppressWarnings("unchecked")
  private static PluginCall pluginCall(Object e, String at) {
    if (e instanceof String id) {
      return new PluginCall(id, Map.of(), at);
    }
    if (!(e instanceof Map<?, ?> m)) {
      throw new ConfigException(
          at, at + " must be {id: ..., params: {...}} or an id, found " + ConfigException.show(e));
    }
    for (Object key : m.keySet()) {
      if (!"id".equals(key) && !"params".equals(key)) {
        throw new ConfigException(
            at + "." + key, at + "." + key + " is not allowed here; allowed: id, params");
      }
    }
    if (!(m.get("id") instanceof String id)) {
      throw new ConfigException(
          at + ".id", at + ".id must be a plugin id, found " + ConfigException.show(m.get("id")));
    }
    Object p = m.get("params");
    if (p != null && !(p instanceof Map<?, ?>)) {
      throw new ConfigException(
          at + ".params", at + ".params must be a map, found " + ConfigException.show(p));
    }
    return new PluginCall(id, (Map<String, Object>) p, at);
  }

  /** Whole numbers of an integral Java type that fit an int; {@code null} otherwise. */
  private static Integer toInt(Object v) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Long || v instanceof Short || v instanceof Byte) {
      long l = ((Number) v).longValue();
      return l == (int) l ? (int) l : null;
    }
    if (v instanceof BigInteger b && b.bitLength() < 32) {
      return b.intValue();
    }
    return null;
  }

  private static void checkRange(Range range, double d, Object raw, String path) {
    if (!range.contains(d)) {
      throw new ConfigException(
          path, path + " must be " + range + ", found " + ConfigException.show(raw));
    }
  }

  private static ConfigException typeError(ParamDef def, Object v, String path) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      String range = def.range() == Range.ANY ? "" : " " + def.range();
      return new ConfigException(
          path, path + " must be a finite number" + range + ", found " + ConfigException.show(v));
    }
    return new ConfigException(
        path, path + " must be " + def.allowed() + ", found " + ConfigException.show(v));
  }

  /** The default, converted to the declared Java type in case a plugin boxed it differently. */
  private static Object normalise(ParamDef def) {
    Object d = def.defaultValue();
    return switch (def.type()) {
      case DOUBLE -> d instanceof Number n ? (Object) n.doubleValue() : d;
      case INT -> d instanceof Number n ? (Object) n.intValue() : d;
      case INT_LIST, DOUBLE_LIST, PLUGIN_LIST -> d instanceof List<?> l ? List.copyOf(l) : d;
      default -> d;
    };
  }
}
