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

  /**
   * Returns how many samples an original data file holds, so a teacher of precomputed outputs can
   * check its row count at configuration time.
   *
   * @param source {@link SampleRefs#TRAIN} or {@link SampleRefs#TEST}
   * @return the number of rows of that file, or -1 when unknown
   */
  default int sourceSize(String source) {
    return -1;
  }

  /**
   * Returns the training split, for a teacher that is fitted when the study starts (a Tribuo
   * model); its fingerprint must then include {@link TrainingData#hash()}.
   *
   * @return the training split, or {@code null} when this context does not provide it
   */
  default TrainingData trainingData() {
    return null;
  }

  /**
   * Creates another teacher through the registry, the way the core creates the study's teacher from
   * its {@code teacher.load} block: the id is looked up, the parameters validated and filled with
   * defaults, and relative paths resolve as for this teacher. Lets a teacher combine others (an
   * ensemble).
   *
   * @param id the teacher plugin id, e.g. {@code "onnx"}
   * @param params raw parameter values as written in the study file
   * @param field the config path of the member for messages, e.g. {@code
   *     teacher.load.params.members[1]}
   * @return a ready, frozen teacher owned by the caller, who closes it
   * @throws IllegalArgumentException when the id is unknown or a parameter is invalid, naming
   *     {@code field}
   * @throws UnsupportedOperationException when this context cannot resolve teachers
   */
  default Teacher teacher(String id, Map<String, Object> params, String field) {
    throw new UnsupportedOperationException("this context cannot create teachers");
  }
}
