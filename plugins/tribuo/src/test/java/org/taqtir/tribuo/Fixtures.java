package org.taqtir.tribuo;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Student;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TrainingData;

/** A small seeded two-feature table and a teacher context that gives it as the training split. */
final class Fixtures {

  static final ModelShape SHAPE = new ModelShape(new Shape(2), 2);

  private Fixtures() {}

  /** 200 rows, x ~ N(0, 1)^2, label 1 iff x0 + 0.5 x1 > 0. */
  static TrainingData data(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 200;
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) gauss(r);
      x[2 * i + 1] = (float) gauss(r);
      y[i] = x[2 * i] + 0.5f * x[2 * i + 1] > 0 ? 1 : 0;
    }
    return new TrainingData(x, 2, y, 2, List.of("a", "b"), "hash-" + seed);
  }

  static double gauss(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  static TeacherContext context(NDManager manager, TrainingData data) {
    return new TeacherContext() {
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
        return Path.of(path).toAbsolutePath();
      }

      @Override
      public Student architecture(String id, Map<String, Object> params) {
        throw new UnsupportedOperationException();
      }

      @Override
      public TrainingData trainingData() {
        return data;
      }
    };
  }
}
