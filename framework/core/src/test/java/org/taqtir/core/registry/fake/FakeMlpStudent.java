package org.taqtir.core.registry.fake;

import java.util.List;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;

/** {@code mlp}: one parameter of every type. */
public class FakeMlpStudent implements StudentProvider {

  /** Creates the fake. */
  public FakeMlpStudent() {}

  @Override
  public String id() {
    return "mlp";
  }

  @Override
  public ParamSpec params() {
    return ParamSpec.of(
        ParamDef.ofIntList("hidden", List.of(128), Range.atLeast(1), "hidden layer widths"),
        ParamDef.ofDouble("dropout", 0.0, new Range(0, true, 1, false), "dropout probability"),
        ParamDef.ofInt("groups", 1, Range.atLeast(1), "parameter groups"),
        ParamDef.ofBoolean("bias", true, "use biases"),
        ParamDef.ofChoice("activation", "relu", List.of("relu", "tanh"), "activation"));
  }

  @Override
  public Student create(Params params, ModelShape shape) {
    throw new UnsupportedOperationException("fake");
  }
}
