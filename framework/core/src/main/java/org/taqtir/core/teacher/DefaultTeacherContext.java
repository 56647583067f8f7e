package org.taqtir.core.teacher;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;
import org.taqtir.api.TeacherContext;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginRegistry;

/**
 * The core's {@link TeacherContext}: data shape, a manager, paths relative to the study file, and
 * architectures from the registry.
 *
 * @param shape the study data's shape
 * @param manager manager that outlives the teacher
 * @param baseDir directory that relative paths resolve against (the study file's)
 * @param registry where architectures are looked up
 */
public record DefaultTeacherContext(
    ModelShape shape, NDManager manager, Path baseDir, PluginRegistry registry)
    implements TeacherContext {

  @Override
  public Path resolve(String path) {
    return baseDir.resolve(path).toAbsolutePath().normalize();
  }

  @Override
  public Student architecture(String id, Map<String, Object> params) {
    StudentProvider provider = registry.students().get(id);
    return provider.create(
        ParamResolver.resolve(id, provider.params(), params, "architecture.params"), shape);
  }
}
