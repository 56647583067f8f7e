package org.taqtir.api;

import java.util.Set;

/**
 * Discovers a distillation strategy. Register an implementation in {@code
 * META-INF/services/org.taqtir.api.StrategyProvider}.
 */
public interface StrategyProvider extends Plugin {

  /**
   * Returns the strategy's family.
   *
   * @return response, feature, relation, or labels for the label-only baseline
   */
  Family family();

  /**
   * Returns what the strategy needs from the training loop.
   *
   * @return the capabilities, never {@code null}
   */
  Set<Capability> capabilities();

  /**
   * Builds a strategy instance.
   *
   * @param params validated parameters with defaults filled in
   * @return a fresh strategy, owned by the caller, who closes it
   */
  DistillationStrategy create(Params params);
}
