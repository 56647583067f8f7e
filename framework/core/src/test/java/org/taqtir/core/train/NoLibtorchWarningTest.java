package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.data.DataSplits;

/**
 * A run writes nothing of libtorch's on stderr: restoring the best weights and resuming from a
 * checkpoint used {@code NDArray.set(Buffer)}, which printed libtorch's "AutoNonVariableTypeMode is
 * deprecated" warning in every process (the child JVM's stderr is the test's evidence: the warning
 * is printed once per process, by native code).
 */
class NoLibtorchWarningTest {

  @TempDir Path dir;

  /** Child process: trains one epoch with a checkpoint, then resumes it for a second epoch. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    DataSplits data = TrainerFixture.data(dir);
    Path cp = dir.resolve("cp/checkpoint.bin");
    for (int epochs = 1; epochs <= 2; epochs++) {
      var r =
          TrainerFixture.trainer(
                  TrainerFixture.training(epochs, 0.05),
                  3,
                  List.of(TrainerFixture.term("labels-only", Map.of())),
                  null,
                  TrainingListener.NONE)
              .checkpoint(cp)
              .train(TrainerFixture.student(data), data, false, null, null);
      if (!r.ok() || r.history().size() != epochs) {
        throw new AssertionError(r.error());
      }
    }
    System.out.println("trained and resumed");
  }

  @Test
  void restoringAndResumingPrintNoLibtorchWarning() throws Exception {
    String out =
        ChildJvm.run(
            List.of(
                "-XX:+UseSerialGC",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"),
            Map.of(),
            NoLibtorchWarningTest.class,
            List.of(dir.toString()),
            dir.resolve("child.log"),
            300);
    assertTrue(out.contains("trained and resumed"), out);
    assertFalse(out.contains("AutoNonVariableTypeMode"), out);
  }
}
