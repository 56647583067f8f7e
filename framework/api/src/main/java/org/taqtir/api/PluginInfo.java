package org.taqtir.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code taqtir list} and {@code taqtir describe} show about a plugin, as one value: its id,
 * parameters, one-line description, formula, paper and tasks. {@link AbstractPlugin} answers the
 * {@link Plugin} methods from it, so a provider states its metadata once, in its constructor:
 *
 * <pre>{@code
 * PluginInfo.of("logits-file")
 *     .withParams(ParamDef.ofChoice("train", "", List.of(), "outputs for the training file"))
 *     .withDescription("per-sample logits computed by any stack")
 *     .withFormula("logits[i] = row i of the file")
 * }</pre>
 *
 * @param id the id a study names the plugin by: {@code [a-z0-9-]+}, shorter than 64 characters
 * @param params the parameters, in the order {@code taqtir describe} lists them
 * @param description one line for {@code taqtir list}; empty when none
 * @param formula the plugin's formula in plain text, one or more lines; empty when none
 * @param paper the paper or source the plugin implements; empty when none
 * @param tasks the tasks the plugin works with ({@link Plugin#tasks()})
 */
public record PluginInfo(
    String id,
    ParamSpec params,
    String description,
    String formula,
    String paper,
    Set<String> tasks) {

  /**
   * Validates the id and fills in empty values.
   *
   * @throws IllegalArgumentException when the id is not {@code [a-z0-9-]+} or too long
   */
  public PluginInfo {
    Objects.requireNonNull(id, "id");
    if (!id.matches("[a-z0-9-]+") || id.length() >= 64) {
      throw new IllegalArgumentException(
          "a plugin id must match [a-z0-9-]+ and be shorter than 64 characters, found \""
              + id
              + "\"");
    }
    params = params == null ? ParamSpec.EMPTY : params;
    description = Objects.requireNonNullElse(description, "");
    formula = Objects.requireNonNullElse(formula, "");
    paper = Objects.requireNonNullElse(paper, "");
    tasks = tasks == null || tasks.isEmpty() ? Set.of(Plugin.CLASSIFICATION) : Set.copyOf(tasks);
  }

  /**
   * The metadata of a plugin with this id, no parameters, for the classification task.
   *
   * @param id the plugin id
   * @return the metadata; add the rest with the {@code with*} methods
   */
  public static PluginInfo of(String id) {
    return new PluginInfo(id, ParamSpec.EMPTY, "", "", "", Set.of());
  }

  /**
   * Returns a copy with these parameters.
   *
   * @param defs the parameter definitions, in display order
   * @return the copy
   */
  public PluginInfo withParams(ParamDef... defs) {
    return new PluginInfo(id, new ParamSpec(List.of(defs)), description, formula, paper, tasks);
  }

  /**
   * Returns a copy with this one-line description.
   *
   * @param text what {@code taqtir list} shows
   * @return the copy
   */
  public PluginInfo withDescription(String text) {
    return new PluginInfo(id, params, text, formula, paper, tasks);
  }

  /**
   * Returns a copy with this formula, one line per argument.
   *
   * @param lines the formula's lines, as {@code taqtir describe} prints them
   * @return the copy
   */
  public PluginInfo withFormula(String... lines) {
    return new PluginInfo(id, params, description, String.join("\n", lines), paper, tasks);
  }

  /**
   * Returns a copy with this citation.
   *
   * @param citation e.g. {@code "Hinton, Vinyals, Dean 2015, ..., arXiv:1503.02531"}
   * @return the copy
   */
  public PluginInfo withPaper(String citation) {
    return new PluginInfo(id, params, description, formula, citation, tasks);
  }

  /**
   * Returns a copy that works with these tasks.
   *
   * @param taskIds task ids, e.g. {@code "language-modelling"}, or {@link Plugin#ANY_TASK}
   * @return the copy
   */
  public PluginInfo withTasks(String... taskIds) {
    return new PluginInfo(id, params, description, formula, paper, Set.of(taskIds));
  }
}
