package org.taqtir.tribuo;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Teacher;
import org.taqtir.testkit.TeacherContractTest;

/** The teacher contract for a small XGBoost teacher fitted on the fixture table. */
class TribuoContractTest extends TeacherContractTest {

  @Override
  protected ModelShape shape() {
    return Fixtures.SHAPE;
  }

  @Override
  protected Teacher create(NDManager manager) {
    var p = new TribuoTeacherProvider();
    Map<String, Object> v = new LinkedHashMap<>(p.params().defaults().values());
    v.put("trees", 10);
    return p.create(new Params(v), Fixtures.context(manager, Fixtures.data(1)));
  }
}
