package org.taqtir.teacher.onnx;

import ai.djl.ndarray.NDManager;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Student;
import org.taqtir.api.TeacherContext;

/** The committed fixture (made by fixtures/make_fixture.py) and a minimal teacher context. */
final class Fixture {

  private Fixture() {}

  static Path dir() {
    try {
      return Path.of(Fixture.class.getResource("/fixtures/fashion-cnn.onnx").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static TeacherContext context(NDManager manager, ModelShape shape) {
    Path base = dir();
    return new TeacherContext() {
      @Override
      public ModelShape shape() {
        return shape;
      }

      @Override
      public NDManager manager() {
        return manager;
      }

      @Override
      public Path resolve(String path) {
        return base.resolve(path);
      }

      @Override
      public Student architecture(String id, Map<String, Object> params) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
