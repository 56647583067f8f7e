package org.taqtir.teacher.onnx;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;
import org.taqtir.testkit.TeacherContractTest;

/** The teacher contract for the ONNX fixture (a CNN trained and exported by PyTorch). */
class OnnxContractTest extends TeacherContractTest {

  private static final ModelShape SHAPE = new ModelShape(new Shape(1, 28, 28), 10);

  @Override
  protected ModelShape shape() {
    return SHAPE;
  }

  @Override
  protected Teacher create(NDManager manager) {
    var p = new OnnxTeacherProvider();
    Map<String, Object> v = new java.util.LinkedHashMap<>(p.params().defaults().values());
    v.put("path", "fashion-cnn.onnx");
    return p.create(new Params(v), Fixture.context(manager, SHAPE));
  }
}
