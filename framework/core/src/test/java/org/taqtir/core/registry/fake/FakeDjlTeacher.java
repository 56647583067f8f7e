package org.taqtir.core.registry.fake;

import java.util.List;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;

/** {@code djl-model}: a path parameter. */
public class FakeDjlTeacher implements TeacherProvider {

  /** Creates the fake. */
  public FakeDjlTeacher() {}

  @Override
  public String id() {
    return "djl-model";
  }

  @Override
  public ParamSpec params() {
    return ParamSpec.of(ParamDef.ofChoice("path", "model", List.of(), "model directory"));
  }

  @Override
  public Teacher create(Params params, TeacherContext context) {
    throw new UnsupportedOperationException("fake");
  }
}
