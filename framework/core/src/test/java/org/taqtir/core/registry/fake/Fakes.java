package org.taqtir.core.registry.fake;

import java.util.List;
import org.taqtir.core.registry.PluginRegistry;

/** A registry of the well-behaved fakes, built without service files. */
public final class Fakes {

  private Fakes() {}

  /**
   * Returns strategies hinton-kd and labels-only, student mlp, teacher djl-model.
   *
   * @return the registry
   */
  public static PluginRegistry registry() {
    return PluginRegistry.of(
        List.of(new FakeKdStrategy(), new FakeLabelsStrategy()),
        List.of(new FakeMlpStudent()),
        List.of(new FakeDjlTeacher()));
  }
}
