package org.taqtir.core.teacher;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taqtir.api.ModelShape;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;
import org.taqtir.api.TrainingData;
import org.taqtir.core.config.Study;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.task.TaskData;

/**
 * The core's {@link TeacherContext}: data shape, a manager, paths relative to the study file,
 * architectures and other teachers from the registry, and the sizes of the original data files.
 *
 * @param shape the study data's shape
 * @param manager manager that outlives the teacher
 * @param baseDir directory that relative paths resolve against (the study file's)
 * @param registry where architectures and teachers are looked up
 * @param sourceSizes original data file ({@code train}, {@code test}) to its sample count; empty
 *     when unknown
 * @param trainingData the training split for teachers fitted when the study starts, or {@code null}
 */
public record DefaultTeacherContext(
    ModelShape shape,
    NDManager manager,
    Path baseDir,
    PluginRegistry registry,
    Map<String, Integer> sourceSizes,
    TrainingData trainingData)
    implements TeacherContext {

  /**
   * A context without the training split.
   *
   * @param shape the study data's shape
   * @param manager manager that outlives the teacher
   * @param baseDir directory that relative paths resolve against (the study file's)
   * @param registry where architectures and teachers are looked up
   * @param sourceSizes original data file to its sample count; empty when unknown
   */
  public DefaultTeacherContext(
      ModelShape shape,
      NDManager manager,
      Path baseDir,
      PluginRegistry registry,
      Map<String, Integer> sourceSizes) {
    this(shape, manager, baseDir, registry, sourceSizes, null);
  }

  /** Copies the size map. */
  public DefaultTeacherContext {
    sourceSizes = Map.copyOf(sourceSizes);
  }

  /**
   * A context that does not know the original data files' sizes.
   *
   * @param shape the study data's shape
   * @param manager manager that outlives the teacher
   * @param baseDir directory that relative paths resolve against
   * @param registry where architectures and teachers are looked up
   */
  public DefaultTeacherContext(
      ModelShape shape, NDManager manager, Path baseDir, PluginRegistry registry) {
    this(shape, manager, baseDir, registry, Map.of());
  }

  /**
   * The context a study's teacher is created in: the task's data shape, the row counts of the
   * original data files, the training split (for teachers fitted when the study starts), paths
   * relative to the study file.
   *
   * @param study the study
   * @param data its data, as the task loaded it
   * @param manager the teacher's manager
   * @param registry the plugins
   * @return the context
   */
  public static DefaultTeacherContext forStudy(
      Study study, TaskData data, NDManager manager, PluginRegistry registry) {
    Path base =
        study.file() == null
            ? Path.of("").toAbsolutePath()
            : study.file().toAbsolutePath().getParent();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (String source : new String[] {SampleRefs.TRAIN, SampleRefs.TEST}) {
      if (data.sourceSize(source) >= 0) {
        sizes.put(source, data.sourceSize(source));
      }
    }
    return new DefaultTeacherContext(
        data.teacherShape(), manager, base, registry, sizes, data.trainingData());
  }

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

  @Override
  public int sourceSize(String source) {
    return sourceSizes.getOrDefault(source, -1);
  }

  @Override
  public Teacher teacher(String id, Map<String, Object> params, String field) {
    TeacherProvider provider =
        registry
            .teachers()
            .find(id)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        field + ".id: " + registry.teachers().unknown(id)));
    var resolved = ParamResolver.resolve(id, provider.params(), params, field + ".params");
    try {
      return provider.create(resolved, this);
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(
          m.startsWith(field) ? m : field + " (" + id + "): " + m, e);
    }
  }
}
