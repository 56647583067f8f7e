package org.taqtir.api;

import java.util.Objects;
import java.util.Set;

/**
 * A distillation strategy's metadata as one value: its {@link PluginInfo} (id, parameters,
 * description, formula, paper, tasks), its {@link Family} and the {@link Capability capabilities}
 * it needs from the training loop. {@link AbstractStrategyProvider} takes it in its constructor:
 *
 * <pre>{@code
 * super(StrategyInfo.of("hinton-kd", Family.RESPONSE, Capability.NEEDS_TEACHER)
 *     .withParams(ParamDef.ofDouble("temperature", 4.0, Range.greaterThan(0), "softmax T"))
 *     .withDescription("soft targets at temperature T")
 *     .withFormula("L = T²·1/B Σ_i KL(softmax(t_i/T) ‖ softmax(s_i/T))")
 *     .withPaper("Hinton, Vinyals, Dean 2015, arXiv:1503.02531"));
 * }</pre>
 *
 * @param plugin id, parameters, description, formula, paper and tasks
 * @param family the strategy's family
 * @param capabilities what it needs from the loop; empty for a loss of the student's logits and the
 *     labels alone
 */
public record StrategyInfo(PluginInfo plugin, Family family, Set<Capability> capabilities) {

  /** Checks for nulls and copies the capabilities. */
  public StrategyInfo {
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(family, "family");
    capabilities = Set.copyOf(capabilities);
  }

  /**
   * The metadata of a strategy without parameters.
   *
   * @param id the strategy id, {@code [a-z0-9-]+}
   * @param family its family
   * @param capabilities what it needs from the training loop
   * @return the metadata; add the rest with the {@code with*} methods
   */
  public static StrategyInfo of(String id, Family family, Capability... capabilities) {
    return new StrategyInfo(PluginInfo.of(id), family, Set.of(capabilities));
  }

  /**
   * Returns the strategy id.
   *
   * @return the id
   */
  public String id() {
    return plugin.id();
  }

  /**
   * Returns a copy with these parameters ({@link PluginInfo#withParams}).
   *
   * @param defs the parameter definitions, in display order
   * @return the copy
   */
  public StrategyInfo withParams(ParamDef... defs) {
    return new StrategyInfo(plugin.withParams(defs), family, capabilities);
  }

  /**
   * Returns a copy with this one-line description ({@link PluginInfo#withDescription}).
   *
   * @param text what {@code taqtir list} shows
   * @return the copy
   */
  public StrategyInfo withDescription(String text) {
    return new StrategyInfo(plugin.withDescription(text), family, capabilities);
  }

  /**
   * Returns a copy with this formula ({@link PluginInfo#withFormula}).
   *
   * @param lines the formula's lines
   * @return the copy
   */
  public StrategyInfo withFormula(String... lines) {
    return new StrategyInfo(plugin.withFormula(lines), family, capabilities);
  }

  /**
   * Returns a copy with this citation ({@link PluginInfo#withPaper}).
   *
   * @param citation the paper or source
   * @return the copy
   */
  public StrategyInfo withPaper(String citation) {
    return new StrategyInfo(plugin.withPaper(citation), family, capabilities);
  }

  /**
   * Returns a copy that works with these tasks ({@link PluginInfo#withTasks}).
   *
   * @param taskIds task ids
   * @return the copy
   */
  public StrategyInfo withTasks(String... taskIds) {
    return new StrategyInfo(plugin.withTasks(taskIds), family, capabilities);
  }
}
