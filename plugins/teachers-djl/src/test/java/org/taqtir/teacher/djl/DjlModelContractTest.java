package org.taqtir.teacher.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.student.djl.MlpStudentProvider;
import org.taqtir.testkit.TeacherContractTest;

/** The teacher contract for djl-model, on a saved MLP with two taps. */
class DjlModelContractTest extends TeacherContractTest {

  private static final ModelShape SHAPE = new ModelShape(new Shape(1, 4, 4), 3);
  private static final Map<String, Object> MLP =
      Map.of("hidden", List.of(6, 5), "activation", "relu", "dropout", 0.0);

  @TempDir Path dir;

  @Override
  protected ModelShape shape() {
    return SHAPE;
  }

  private static Student mlp() {
    return new MlpStudentProvider().create(new Params(MLP), SHAPE);
  }

  @Override
  protected Teacher create(NDManager manager) {
    Path to = dir.resolve("t");
    if (!Files.isDirectory(to)) {
      Student s = mlp();
      try (Model model = Model.newInstance(DjlModelTeacherProvider.MODEL_NAME)) {
        model.setBlock(s.block());
        Engine.getInstance().setRandomSeed(5);
        s.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 4, 4));
        Files.createDirectories(to);
        model.save(to, DjlModelTeacherProvider.MODEL_NAME);
        Files.writeString(
            to.resolve(DjlModelTeacherProvider.DESCRIPTOR),
            "{\"architecture\": \"mlp\", \"params\": {\"hidden\": [6, 5], \"activation\":"
                + " \"relu\", \"dropout\": 0.0}, \"input_shape\": [1, 4, 4], \"classes\": 3}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    TeacherContext context =
        new TeacherContext() {
          @Override
          public ModelShape shape() {
            return SHAPE;
          }

          @Override
          public NDManager manager() {
            return manager;
          }

          @Override
          public Path resolve(String path) {
            return dir.resolve(path);
          }

          @Override
          public Student architecture(String id, Map<String, Object> params) {
            return mlp();
          }
        };
    return new DjlModelTeacherProvider().create(new Params(Map.of("path", "t")), context);
  }
}
