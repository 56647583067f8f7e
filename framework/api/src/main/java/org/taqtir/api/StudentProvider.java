package org.taqtir.api;

/**
 * Discovers a student architecture. An architecture may also be trained on labels by the core to
 * serve as a teacher. Register an implementation in {@code
 * META-INF/services/org.taqtir.api.StudentProvider}.
 */
public interface StudentProvider extends Plugin {

  /**
   * Builds an architecture for the given data shape.
   *
   * @param params validated parameters with defaults filled in
   * @param shape input shape and class count
   * @return a fresh, uninitialised student
   */
  Student create(Params params, ModelShape shape);
}
