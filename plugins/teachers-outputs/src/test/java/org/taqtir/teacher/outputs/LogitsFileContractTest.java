package org.taqtir.teacher.outputs;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.ModelShape;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Teacher;

/** The teacher contract for logits-file: 12 training samples, 3 classes. */
class LogitsFileContractTest extends org.taqtir.testkit.TeacherContractTest {

  @TempDir Path dir;

  @Override
  protected ModelShape shape() {
    return LogitsFileTeacherProviderTest.SHAPE;
  }

  static void writeCsv(Path file, int rows, int seed) {
    StringBuilder sb = new StringBuilder("a,b,c\n");
    java.util.Random r = new java.util.Random(seed);
    for (int i = 0; i < rows; i++) {
      sb.append(r.nextGaussian()).append(',').append(r.nextGaussian()).append(',');
      sb.append(r.nextGaussian()).append('\n');
    }
    try {
      Files.writeString(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Teacher create(NDManager manager) {
    writeCsv(dir.resolve("train.csv"), 12, 1);
    return new LogitsFileTeacherProvider()
        .create(
            LogitsFileTeacherProviderTest.params("train", "train.csv"),
            Contexts.of(manager, dir, shape(), 12, 2));
  }

  @Override
  protected SampleRefs refs(int batch, int size) {
    int[] rows = new int[size];
    for (int i = 0; i < size; i++) {
      rows[i] = 11 - (batch * size + i) % 12;
    }
    return new SampleRefs(SampleRefs.TRAIN, rows);
  }
}
