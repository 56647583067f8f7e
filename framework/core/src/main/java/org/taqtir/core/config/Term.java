package org.taqtir.core.config;

import java.util.Objects;
import java.util.Set;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Taps;

/**
 * One weighted loss term of a method.
 *
 * @param strategy the strategy provider's id and its parameters
 * @param weight the factor the term's loss is multiplied by
 * @param fromEpoch first epoch (1-based) in which the term is active
 * @param untilEpoch last epoch (1-based) in which the term is active; 0 means the last epoch
 */
public record Term(PluginRef strategy, double weight, int fromEpoch, int untilEpoch) {

  /** Checks that the strategy is given and the window is well formed. */
  public Term {
    Objects.requireNonNull(strategy, "strategy");
    if (fromEpoch < 1 || untilEpoch < 0 || (untilEpoch > 0 && untilEpoch < fromEpoch)) {
      throw new IllegalArgumentException(
          "term epochs must satisfy 1 <= from_epoch <= until_epoch (or until_epoch 0), found "
              + fromEpoch
              + ".."
              + untilEpoch);
    }
  }

  /**
   * A term active in every epoch.
   *
   * @param strategy the strategy provider and its parameters
   * @param weight the factor the term's loss is multiplied by
   */
  public Term(PluginRef strategy, double weight) {
    this(strategy, weight, 1, 0);
  }

  /**
   * Tells whether the term is active in an epoch.
   *
   * @param epoch 1-based epoch
   * @return whether the term's loss is added in that epoch
   */
  public boolean activeIn(int epoch) {
    return epoch >= fromEpoch && (untilEpoch == 0 || epoch <= untilEpoch);
  }

  /**
   * Tells whether the term is active in every epoch.
   *
   * @return {@code true} for the default window
   */
  public boolean always() {
    return fromEpoch == 1 && untilEpoch == 0;
  }

  /**
   * Binds the term to its provider, looked up once when the study is resolved.
   *
   * @param provider the provider registered under {@code strategy().id()}
   * @return the bound term
   */
  public Bound bind(StrategyProvider provider) {
    return new Bound(this, provider);
  }

  /**
   * A term with its strategy provider: what the training loop needs to build, weigh and schedule
   * the term, and what it reads (capabilities, taps), known without building the strategy.
   *
   * @param term the term as configured
   * @param provider its strategy's provider
   */
  public record Bound(Term term, StrategyProvider provider) {

    /** Checks that the provider is the term's. */
    public Bound {
      Objects.requireNonNull(term, "term");
      Objects.requireNonNull(provider, "provider");
    }

    /**
     * Returns the strategy's id.
     *
     * @return e.g. {@code hinton-kd}
     */
    public String id() {
      return term.strategy().id();
    }

    /**
     * Returns the term's weight.
     *
     * @return the factor of its loss
     */
    public double weight() {
      return term.weight();
    }

    /**
     * Returns what the strategy needs from the loop.
     *
     * @return the capabilities
     */
    public Set<Capability> capabilities() {
      return provider.capabilities();
    }

    /**
     * Tells whether the strategy reads the teacher's outputs.
     *
     * @return whether it declares {@link Capability#NEEDS_TEACHER}
     */
    public boolean needsTeacher() {
      return capabilities().contains(Capability.NEEDS_TEACHER);
    }

    /**
     * Returns the taps the strategy reads with these parameters.
     *
     * @return the declared taps
     */
    public Taps taps() {
      return provider.taps(term.strategy().params());
    }

    /**
     * Tells whether the term is active in an epoch as the loop counts them.
     *
     * @param epochIndex zero-based epoch
     * @return whether its loss is added
     */
    public boolean activeAt(int epochIndex) {
      return term.activeIn(epochIndex + 1);
    }

    /**
     * Builds a fresh strategy; the caller closes it.
     *
     * @return the strategy
     */
    public DistillationStrategy create() {
      return provider.create(term.strategy().params());
    }
  }
}
