package org.taqtir.api;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The rules of {@link ParamSpec#resolve}: raw values as read from YAML to typed {@link Params}. */
final class ParamValues {

  private ParamValues() {}

  static Params resolve(String pluginId, ParamSpec spec, Map<String, ?> raw, String field) {
    Map<String, Object> given = new LinkedHashMap<>();
    if (raw != null) {
      for (Map.Entry<String, ?> e : raw.entrySet()) {
        String key = e.getKey();
        String path = join(field, key);
        Optional<ParamDef> def = spec.find(key);
        if (def.isEmpty()) {
          Set<String> names = new LinkedHashSet<>();
          spec.params().forEach(p -> names.add(p.name()));
          throw new ParamException(
              path,
              path
                  + " is not a parameter of "
                  + pluginId
                  + "; allowed: "
                  + (names.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(names))),
              key,
              names);
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

  private static String join(String field, String key) {
    return field == null || field.isEmpty() ? key : field + "." + key;
  }

  private static ParamException error(String path, String message) {
    return new ParamException(path, message, null, Set.of());
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
        List<Integer> out = new ArrayList<>();
        for (Element e : elements(def, v, path)) {
          Integer i = toInt(e.value());
          if (i == null) {
            throw elementError("an integer", range, e);
          }
          checkRange(range, i, e.value(), e.path());
          out.add(i);
        }
        return List.copyOf(out);
      }
      case DOUBLE_LIST -> {
        List<Double> out = new ArrayList<>();
        for (Element e : elements(def, v, path)) {
          if (!(e.value() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw elementError("a number", range, e);
          }
          checkRange(range, n.doubleValue(), e.value(), e.path());
          out.add(n.doubleValue());
        }
        return List.copyOf(out);
      }
      case PLUGIN_LIST -> {
        List<PluginCall> out = new ArrayList<>();
        for (Element e : elements(def, v, path)) {
          out.add(pluginCall(e.value(), e.path()));
        }
        return List.copyOf(out);
      }
      default -> throw new IllegalStateException("unhandled parameter type " + def.type());
    }
  }

  /** One element of a list value and its path, e.g. {@code hidden[1]}. */
  private record Element(Object value, String path) {}

  private static List<Element> elements(ParamDef def, Object v, String path) {
    if (!(v instanceof List<?> list)) {
      throw typeError(def, v, path);
    }
    List<Element> out = new ArrayList<>(list.size());
    for (int k = 0; k < list.size(); k++) {
      out.add(new Element(list.get(k), path + "[" + k + "]"));
    }
    return out;
  }

  private static ParamException elementError(String what, Range range, Element e) {
    return error(
        e.path(),
        e.path()
            + " must be "
            + what
            + (range == Range.ANY ? "" : " " + range)
            + ", found "
            + ParamException.show(e.value()));
  }

  /** One {@code {id, params}} element (or a bare id) of a plugin list, not yet validated. */
  @SuppressWarnings("unchecked")
  private static PluginCall pluginCall(Object e, String at) {
    if (e instanceof String id) {
      return new PluginCall(id, Map.of(), at);
    }
    if (!(e instanceof Map<?, ?> m)) {
      throw error(
          at, at + " must be {id: ..., params: {...}} or an id, found " + ParamException.show(e));
    }
    for (Object key : m.keySet()) {
      if (!"id".equals(key) && !"params".equals(key)) {
        throw error(at + "." + key, at + "." + key + " is not allowed here; allowed: id, params");
      }
    }
    if (!(m.get("id") instanceof String id)) {
      throw error(
          at + ".id", at + ".id must be a plugin id, found " + ParamException.show(m.get("id")));
    }
    Object p = m.get("params");
    if (p != null && !(p instanceof Map<?, ?>)) {
      throw error(at + ".params", at + ".params must be a map, found " + ParamException.show(p));
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
      throw error(path, path + " must be " + range + ", found " + ParamException.show(raw));
    }
  }

  private static ParamException typeError(ParamDef def, Object v, String path) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      String range = def.range() == Range.ANY ? "" : " " + def.range();
      return error(
          path, path + " must be a finite number" + range + ", found " + ParamException.show(v));
    }
    return error(path, path + " must be " + def.allowed() + ", found " + ParamException.show(v));
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
