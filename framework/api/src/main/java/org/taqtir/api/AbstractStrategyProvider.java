package org.taqtir.api;

import java.util.Set;

/**
 * The base of a strategy provider: metadata from one {@link StrategyInfo}, feature taps read from
 * the {@code student_layer}/{@code teacher_layer} parameters when it declares them, and one method
 * to write, {@link #newStrategy(Params)}.
 *
 * <p>{@link #create(Params)} is final: it builds the strategy and, when that is an {@link
 * AbstractStrategy}, hands it the id, the parameters and the taps, so the strategy's messages name
 * the plugin and its {@link AbstractStrategy#taps()} are the ones the core planned for.
 */
public abstract class AbstractStrategyProvider extends AbstractPlugin implements StrategyProvider {

  private final Family family;
  private final Set<Capability> capabilities;

  /**
   * Creates the provider.
   *
   * @param info the strategy's metadata
   */
  protected AbstractStrategyProvider(StrategyInfo info) {
    super(info.plugin());
    this.family = info.family();
    this.capabilities = info.capabilities();
  }

  @Override
  public final Family family() {
    return family;
  }

  @Override
  public final Set<Capability> capabilities() {
    return capabilities;
  }

  /**
   * Returns the taps of a strategy that declares both {@link TapPair#STUDENT_LAYER} and {@link
   * TapPair#TEACHER_LAYER} (by name), read from the parameters; {@link Taps#NONE} otherwise.
   * Override it for any other arrangement of taps.
   *
   * @param params validated parameters with defaults filled in
   * @return the taps
   */
  @Override
  public Taps taps(Params params) {
    return readsTapPair() ? Taps.of(TapPair.of(params)) : Taps.NONE;
  }

  private boolean readsTapPair() {
    return params().find(TapPair.STUDENT_LAYER.name()).isPresent()
        && params().find(TapPair.TEACHER_LAYER.name()).isPresent();
  }

  /**
   * Builds the strategy, then binds an {@link AbstractStrategy} to this provider's id, the
   * parameters and the taps.
   *
   * @param params validated parameters with defaults filled in
   * @return a fresh strategy, owned by the caller, who closes it
   */
  @Override
  public final DistillationStrategy create(Params params) {
    DistillationStrategy s = newStrategy(params);
    if (s instanceof AbstractStrategy a) {
      a.bind(id(), params, readsTapPair() ? TapPair.of(params) : null);
    }
    return s;
  }

  /**
   * Builds a strategy instance: read the parameters here, create arrays later, in {@link
   * AbstractStrategy#setUp} or {@link DistillationStrategy#prepare}.
   *
   * @param params validated parameters with defaults filled in
   * @return a fresh strategy
   */
  protected abstract DistillationStrategy newStrategy(Params params);
}
