package org.taqtir.teacher.outputs;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.taqtir.api.ModelShape;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.teacher.DefaultTeacherContext;

/** The core's teacher context over a registry holding this module's teachers. */
final class Contexts {

  private Contexts() {}

  static DefaultTeacherContext of(
      NDManager manager, Path base, ModelShape shape, int trainRows, int testRows) {
    PluginRegistry registry =
        PluginRegistry.of(
            List.of(),
            List.of(),
            List.of(new LogitsFileTeacherProvider(), new EnsembleTeacherProvider()));
    return new DefaultTeacherContext(
        shape, manager, base, registry, Map.of("train", trainRows, "test", testRows));
  }
}
