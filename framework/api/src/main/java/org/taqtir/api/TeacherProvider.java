package org.taqtir.api;

/**
 * Discovers a teacher adapter (saved DJL model, ONNX model, precomputed outputs, ...). Register an
 * implementation in {@code META-INF/services/org.taqtir.api.TeacherProvider}.
 */
public interface TeacherProvider extends Plugin {

  /**
   * Loads a teacher.
   *
   * @param params validated parameters with defaults filled in
   * @param context the data shape, a manager and path resolution
   * @return a ready, frozen teacher, owned by the caller, who closes it
   */
  Teacher create(Params params, TeacherContext context);
}
