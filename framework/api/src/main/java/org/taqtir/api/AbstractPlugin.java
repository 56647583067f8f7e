package org.taqtir.api;

import java.util.Objects;
import java.util.Set;

/**
 * A provider whose metadata is one {@link PluginInfo} given to its constructor: the {@link Plugin}
 * methods are answered from it and cannot drift apart. Teacher and student providers extend it
 * directly (and implement their SPI's {@code create}); strategy providers extend {@link
 * AbstractStrategyProvider}.
 */
public abstract class AbstractPlugin implements Plugin {

  private final PluginInfo info;

  /**
   * Creates the provider. Keep constructors cheap: {@link java.util.ServiceLoader} builds every
   * provider on the class path to list them.
   *
   * @param info the plugin's metadata
   */
  protected AbstractPlugin(PluginInfo info) {
    this.info = Objects.requireNonNull(info, "info");
  }

  /**
   * Returns the metadata this provider was created with.
   *
   * @return the metadata
   */
  public final PluginInfo info() {
    return info;
  }

  @Override
  public final String id() {
    return info.id();
  }

  @Override
  public final ParamSpec params() {
    return info.params();
  }

  @Override
  public final String description() {
    return info.description();
  }

  @Override
  public final String paper() {
    return info.paper();
  }

  @Override
  public final String formula() {
    return info.formula();
  }

  @Override
  public final Set<String> tasks() {
    return info.tasks();
  }

  @Override
  public String toString() {
    return info.id();
  }
}
