package org.taqtir.core.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.Family;
import org.taqtir.api.Generation;
import org.taqtir.api.Params;
import org.taqtir.api.PluginCall;
import org.taqtir.core.config.MethodConfig;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.Term;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.task.Task;

/**
 * A study with every plugin looked up once: its task and, for every method, each term bound to its
 * strategy provider. What the phases after it need to know about the strategies (taps, whether the
 * teacher is read, the run parameters) comes from here, without building a strategy.
 *
 * @param study the study
 * @param task its task
 * @param methods one per configured method, in order
 * @param registry the plugins the study was resolved against
 */
public record ResolvedStudy(Study study, Task task, List<Method> methods, PluginRegistry registry) {

  /** Copies the methods. */
  public ResolvedStudy {
    methods = List.copyOf(methods);
  }

  /**
   * Resolves a study against a registry.
   *
   * @param study a parsed study
   * @param registry the plugins it was parsed against
   * @return the resolved study
   */
  public static ResolvedStudy of(Study study, PluginRegistry registry) {
    Task task = registry.tasks().get(study.task());
    List<Method> methods = new ArrayList<>();
    for (MethodConfig m : study.strategies()) {
      List<Term.Bound> terms = new ArrayList<>();
      for (Term t : m.terms()) {
        terms.add(t.bind(registry.strategies().get(t.strategy().id())));
      }
      methods.add(new Method(m, terms));
    }
    return new ResolvedStudy(study, task, methods, registry);
  }

  /**
   * Tells whether any method reads the teacher.
   *
   * @return whether a term needs the teacher's outputs
   */
  public boolean anyTermNeedsTeacher() {
    return methods.stream().anyMatch(Method::needsTeacher);
  }

  /**
   * Returns the teacher taps the study's strategies read, cached with the logits on the transfer
   * set.
   *
   * @return tap names, in the order the strategies name them
   */
  public Set<String> teacherTaps() {
    Set<String> taps = new LinkedHashSet<>();
    for (Method m : methods) {
      taps.addAll(m.teacherTaps());
    }
    return taps;
  }

  /**
   * One method: its terms bound to their providers.
   *
   * @param config the method as configured
   * @param terms its terms, in order
   */
  public record Method(MethodConfig config, List<Term.Bound> terms) {

    /** Copies the terms. */
    public Method {
      terms = List.copyOf(terms);
    }

    /**
     * Returns the method's name.
     *
     * @return the name
     */
    public String name() {
      return config.name();
    }

    /**
     * Tells whether a term reads the teacher.
     *
     * @return whether the teacher is needed
     */
    public boolean needsTeacher() {
      return terms.stream().anyMatch(Term.Bound::needsTeacher);
    }

    /**
     * Returns how the method's training text is generated, when a term declares it.
     *
     * @return the first term's generation, or null to train on the real training windows
     */
    public Generation generation() {
      for (Term.Bound t : terms) {
        Generation g = t.provider().generation(t.term().strategy().params());
        if (g != null) {
          return g;
        }
      }
      return null;
    }

    /**
     * Tells whether every term is label supervision alone: a baseline.
     *
     * @return whether the method is label-only
     */
    public boolean labelsOnly() {
      return terms.stream().allMatch(t -> t.provider().family() == Family.LABELS);
    }

    /**
     * Returns the teacher taps the terms that read the teacher need.
     *
     * @return tap names
     */
    public Set<String> teacherTaps() {
      Set<String> taps = new LinkedHashSet<>();
      for (Term.Bound t : terms) {
        if (t.needsTeacher()) {
          taps.addAll(t.taps().teacher());
        }
      }
      return taps;
    }

    /**
     * Describes the method's terms from their parameters, e.g. {@code 1.0·labels-only +
     * 0.9·hinton-kd(temperature=4.0, alpha=0.9, standardize=false) [epochs 2..end]}.
     *
     * @return the description
     */
    public String describe() {
      List<String> parts = new ArrayList<>();
      for (Term.Bound b : terms) {
        Term t = b.term();
        String params = describe(t.strategy().params());
        parts.add(
            t.weight()
                + "·"
                + t.strategy().id()
                + (params.isEmpty() ? "" : "(" + params + ")")
                + (t.always()
                    ? ""
                    : " [epochs "
                        + t.fromEpoch()
                        + ".."
                        + (t.untilEpoch() == 0 ? "end" : t.untilEpoch())
                        + "]"));
      }
      return String.join(" + ", parts);
    }

    private static String describe(Params params) {
      List<String> out = new ArrayList<>();
      params.values().forEach((k, v) -> out.add(k + "=" + value(v)));
      return String.join(", ", out);
    }

    /**
     * Returns the run parameters of this method, round-trippable to the study file: for term {@code
     * i} (1-based), {@code terms.i.id}, {@code terms.i.weight}, {@code terms.i.from_epoch}, {@code
     * terms.i.until_epoch} and {@code terms.i.params.<name>} for every parameter of its strategy,
     * each value as YAML would read it back.
     *
     * @return the parameters, in term order
     */
    public Map<String, String> params() {
      Map<String, String> out = new LinkedHashMap<>();
      for (int i = 0; i < terms.size(); i++) {
        Term t = terms.get(i).term();
        String p = "terms." + (i + 1) + ".";
        out.put(p + "id", t.strategy().id());
        out.put(p + "weight", value(t.weight()));
        out.put(p + "from_epoch", String.valueOf(t.fromEpoch()));
        out.put(p + "until_epoch", String.valueOf(t.untilEpoch()));
        t.strategy().params().values().forEach((k, v) -> out.put(p + "params." + k, value(v)));
      }
      return out;
    }

    /** A parameter value as a study file writes it. */
    static String value(Object v) {
      if (v instanceof Double d) {
        return Double.toString(d);
      }
      if (v instanceof List<?> list) {
        List<String> items = new ArrayList<>();
        for (Object o : list) {
          items.add(value(o));
        }
        return "[" + String.join(", ", items) + "]";
      }
      if (v instanceof PluginCall c) {
        List<String> items = new ArrayList<>();
        c.params().forEach((k, x) -> items.add(k + ": " + value(x)));
        return "{id: " + c.id() + ", params: {" + String.join(", ", items) + "}}";
      }
      return String.valueOf(v);
    }
  }
}
