package org.taqtir.core.registry;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.taqtir.api.Plugin;
import org.taqtir.core.config.Levenshtein;

/**
 * The providers of one kind (strategies, students or teachers), by id.
 *
 * @param <P> the provider interface
 */
public final class PluginKind<P extends Plugin> {

  private final String name;
  private final SortedMap<String, P> byId;
  private final List<LoadProblem> problems;

  PluginKind(String name, Map<String, P> byId, List<LoadProblem> problems) {
    this.name = name;
    this.byId = Collections.unmodifiableSortedMap(new TreeMap<>(byId));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns the kind's name as error messages and configs say it.
   *
   * @return {@code "strategy"}, {@code "student"} or {@code "teacher"}
   */
  public String name() {
    return name;
  }

  /**
   * Returns every loaded provider.
   *
   * @return the providers sorted by id, unmodifiable
   */
  public List<P> all() {
    return List.copyOf(byId.values());
  }

  /**
   * Returns the ids of every loaded provider.
   *
   * @return sorted ids, unmodifiable
   */
  public SortedSet<String> ids() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byId.keySet()));
  }

  /**
   * Finds a provider by id.
   *
   * @param id the plugin id
   * @return the provider, or empty when none has this id
   */
  public Optional<P> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * Returns the provider with this id.
   *
   * @param id the plugin id
   * @return the provider
   * @throws IllegalArgumentException when no provider has this id; the message lists the available
   *     ids and the closest one
   */
  public P get(String id) {
    P p = byId.get(id);
    if (p == null) {
      throw new IllegalArgumentException(unknown(id));
    }
    return p;
  }

  /**
   * Describes an unknown id, e.g. {@code unknown strategy 'hinton-kdd'; available: hinton-kd,
   * labels-only; closest: 'hinton-kd'}. Mentions the providers that failed to load, since the id
   * may belong to one of them.
   *
   * @param id the id that was asked for
   * @return a one-line message
   */
  public String unknown(String id) {
    StringBuilder sb =
        new StringBuilder("unknown ").append(name).append(" '").append(id).append('\'');
    sb.append("; available: ").append(byId.isEmpty() ? "(none)" : String.join(", ", byId.keySet()));
    Levenshtein.closest(id, byId.keySet())
        .ifPresent(c -> sb.append("; closest: '").append(c).append('\''));
    if (!problems.isEmpty()) {
      sb.append("; ")
          .append(problems.size())
          .append(' ')
          .append(name)
          .append(problems.size() == 1 ? " provider" : " providers")
          .append(" failed to load: ")
          .append(problems.stream().map(LoadProblem::className).collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  /**
   * Returns the providers of this kind that could not be loaded.
   *
   * @return the problems in discovery order, unmodifiable
   */
  public List<LoadProblem> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return name + " " + byId.keySet();
  }
}
