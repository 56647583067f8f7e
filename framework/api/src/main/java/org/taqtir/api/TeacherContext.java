package org.taqtir.api;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;

/** What a teacher provider gets from the core when creating a teacher. */
public interface TeacherContext {

  /**
   * Returns the shape of the study's data; a teacher must accept it.
   *
   * @return input shape and class count
   */
  ModelShape shape();

  /**
   * Returns a manager that lives as long as the teacher; the teacher's model goes here.
   *
   * @return the manager, closed by the core after the teacher is closed
   */
  NDManager manager();

  /**
   * Resolves a path written in the study file (relative to the study file's directory).
   *
   * @param path the path as written
   * @return an absolute path
   */
  Path resolve(String path);

  /**
   * Builds an architecture registered as a {@link StudentProvider}, validating its parameters, so a
   * teacher adapter can rebuild a saved model without knowing concrete classes.
   *
   * @param id the architecture id, e.g. {@code "mlp"}
   * @param params raw parameter values
   * @return a fresh, uninitialised architecture
   * @throws IllegalArgumentException when the id is unknown or a parameter is invalid
   */
  Student architecture(String id, Map<String, Object> params);
}
