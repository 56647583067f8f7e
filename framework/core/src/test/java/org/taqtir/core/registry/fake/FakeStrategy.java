package org.taqtir.core.registry.fake;

import java.util.Set;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.StrategyProvider;

/** A strategy provider with a given id and spec that cannot build anything. */
public abstract class FakeStrategy implements StrategyProvider {

  private final String id;
  private final ParamSpec spec;

  /**
   * Creates the fake.
   *
   * @param id the id it reports
   * @param spec the parameters it declares
   */
  protected FakeStrategy(String id, ParamSpec spec) {
    this.id = id;
    this.spec = spec;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public ParamSpec params() {
    return spec;
  }

  @Override
  public Family family() {
    return Family.RESPONSE;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.NEEDS_TEACHER);
  }

  @Override
  public DistillationStrategy create(Params params) {
    throw new UnsupportedOperationException("fake");
  }
}
