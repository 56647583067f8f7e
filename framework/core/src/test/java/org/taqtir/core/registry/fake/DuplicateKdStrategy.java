package org.taqtir.core.registry.fake;

import java.util.Set;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;

/**
 * A second {@code hinton-kd}. Self-contained (no package-private references) so a test can load it
 * from a jar with another class loader.
 */
public class DuplicateKdStrategy implements StrategyProvider {

  /** Creates the fake. */
  public DuplicateKdStrategy() {}

  @Override
  public String id() {
    return "hinton-kd";
  }

  @Override
  public Family family() {
    return Family.RESPONSE;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public DistillationStrategy create(Params params) {
    throw new UnsupportedOperationException("fake");
  }
}
