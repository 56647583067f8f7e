package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The student tap and teacher tap a feature- or relation-based strategy reads, with the shared
 * {@code student_layer} / {@code teacher_layer} parameters and the batch-flattening every such
 * strategy needs.
 *
 * @param studentLayer the student's tap name, e.g. {@code hidden1}
 * @param teacherLayer the teacher's tap name, e.g. {@code hidden2}
 */
public record TapPair(String studentLayer, String teacherLayer) {

  /** The {@code student_layer} parameter (default {@code hidden1}). */
  public static final ParamDef STUDENT_LAYER =
      ParamDef.ofChoice("student_layer", "hidden1", List.of(), "student tap");

  /** The {@code teacher_layer} parameter (default {@code hidden1}). */
  public static final ParamDef TEACHER_LAYER =
      ParamDef.ofChoice("teacher_layer", "hidden1", List.of(), "teacher tap");

  /**
   * Reads the pair from resolved parameters that declare {@link #STUDENT_LAYER} and {@link
   * #TEACHER_LAYER}.
   *
   * @param params the strategy's parameters
   * @return the pair
   */
  public static TapPair of(Params params) {
    return new TapPair(params.getString("student_layer"), params.getString("teacher_layer"));
  }

  /**
   * Returns the student's feature flattened to {@code (B, d)}.
   *
   * @param student the student's outputs
   * @return a view owned by the batch manager
   */
  public NDArray student(StepOutputs student) {
    return flat(student.feature(studentLayer));
  }

  /**
   * Returns the teacher's feature flattened to {@code (B, d)}.
   *
   * @param teacher the teacher's outputs
   * @return a view owned by the batch manager
   */
  public NDArray teacher(StepOutputs teacher) {
    return flat(teacher.feature(teacherLayer));
  }

  private static NDArray flat(NDArray f) {
    return f.reshape(f.getShape().get(0), -1);
  }

  @Override
  public String toString() {
    return studentLayer + " -> " + teacherLayer;
  }
}
