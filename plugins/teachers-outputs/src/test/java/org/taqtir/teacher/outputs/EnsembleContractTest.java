package org.taqtir.teacher.outputs;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Teacher;
import org.taqtir.core.registry.ParamResolver;

/** The teacher contract for an ensemble of two logits files combined by weighted probabilities. */
class EnsembleContractTest extends org.taqtir.testkit.TeacherContractTest {

  @TempDir Path dir;

  @Override
  protected ModelShape shape() {
    return LogitsFileTeacherProviderTest.SHAPE;
  }

  @Override
  protected Teacher create(NDManager manager) {
    LogitsFileContractTest.writeCsv(dir.resolve("a.csv"), 12, 1);
    LogitsFileContractTest.writeCsv(dir.resolve("b.csv"), 12, 2);
    var p = new EnsembleTeacherProvider();
    Params params =
        ParamResolver.resolve(
            "ensemble",
            p.params(),
            Map.of(
                "members",
                List.of(
                    Map.of("id", "logits-file", "params", Map.of("train", "a.csv")),
                    Map.of("id", "logits-file", "params", Map.of("train", "b.csv"))),
                "aggregation",
                "weighted",
                "weights",
                List.of(3, 1)),
            "teacher.load.params");
    return p.create(params, Contexts.of(manager, dir, shape(), 12, 2));
  }

  @Override
  protected SampleRefs refs(int batch, int size) {
    int[] rows = new int[size];
    for (int i = 0; i < size; i++) {
      rows[i] = (batch * size + i) % 12;
    }
    return new SampleRefs(SampleRefs.TRAIN, rows);
  }
}
