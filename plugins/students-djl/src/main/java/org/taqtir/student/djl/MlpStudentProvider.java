package org.taqtir.student.djl;

import java.util.List;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;

/**
 * {@code mlp}: a fully connected network, usable as a student and (trained on labels) as a teacher.
 * Taps {@code hidden1..hiddenN} are the post-activation outputs of each hidden layer.
 */
public final class MlpStudentProvider implements StudentProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofIntList("hidden", List.of(128), Range.atLeast(1), "hidden layer widths"),
          ParamDef.ofChoice(
              "activation", "relu", List.of("relu", "tanh", "gelu"), "hidden activation"),
          ParamDef.ofDouble(
              "dropout",
              0.0,
              new Range(0, true, 1, false),
              "dropout rate after each hidden activation (training only)"));

  @Override
  public String id() {
    return "mlp";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "multilayer perceptron with one feature tap per hidden layer (hidden1, hidden2, ...)";
  }

  @Override
  public Student create(Params params, ModelShape shape) {
    return new MlpStudent(
        shape.flatInputSize(),
        params.getIntList("hidden"),
        shape.numClasses(),
        params.getString("activation"),
        (float) params.getDouble("dropout"));
  }
}
