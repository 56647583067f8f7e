package org.taqtir.api;

/**
 * What every provider of every kind has: an id, a parameter spec and optional metadata.
 *
 * <p>Providers are constructed by {@link java.util.ServiceLoader} and must be cheap to construct:
 * do real work in {@code create}.
 */
public interface Plugin {

  /**
   * Returns the id a study file uses to name this plugin.
   *
   * @return {@code [a-z0-9-]+}, shorter than 64 characters, unique within its kind
   */
  String id();

  /**
   * Returns the parameters this plugin accepts.
   *
   * @return the spec, never {@code null}; {@link ParamSpec#EMPTY} when none
   */
  default ParamSpec params() {
    return ParamSpec.EMPTY;
  }

  /**
   * Returns a one-line description.
   *
   * @return a description, empty when none
   */
  default String description() {
    return "";
  }

  /**
   * Returns the paper or source the plugin implements.
   *
   * @return a citation, empty when none
   */
  default String paper() {
    return "";
  }

  /**
   * Returns the tasks this plugin works with, by task id ({@code classification}, {@code
   * language-modelling}, ...). A study of another task refuses the plugin when it is resolved,
   * before anything is trained.
   *
   * @return task ids; {@code classification} by default
   */
  default java.util.Set<String> tasks() {
    return java.util.Set.of(CLASSIFICATION);
  }

  /** The id of the classification task, the default task of a study. */
  String CLASSIFICATION = "classification";

  /** In {@link #tasks()}: the plugin works with every task (e.g. a loader of saved models). */
  String ANY_TASK = "*";

  /**
   * Tells whether this plugin works with a task.
   *
   * @param task a task id
   * @return whether {@link #tasks()} names it or {@value #ANY_TASK}
   */
  default boolean worksWith(String task) {
    return tasks().contains(task) || tasks().contains(ANY_TASK);
  }

  /**
   * Returns the plugin's formula in plain text (one or more lines), shown by {@code taqtir
   * describe}; the class Javadoc carries the full derivation and the source of each default.
   *
   * @return the formula, empty when none
   */
  default String formula() {
    return "";
  }
}
