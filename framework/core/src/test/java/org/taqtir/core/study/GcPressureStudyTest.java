package org.taqtir.core.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.train.ChildJvm;

/**
 * DJL's scalar use-after-free (docs/performance.md): a constant multiplied into the autograd graph
 * with {@code NDArray.op(Number)} is freed by the next garbage collection while backward still
 * needs it. This test runs every strategy family, the in-study teacher training and both
 * teacher-output modes through the normal study path in child JVMs with a 4 MB young generation (a
 * young GC every few steps) and requires every metric of every run to be bitwise equal to a normal
 * run's.
 */
class GcPressureStudyTest {

  private static final int CHILD_RUNS = 2;

  @TempDir Path dir;

  @Test
  void everyStrategyFamilyGivesBitwiseEqualResultsUnderFrequentGarbageCollection()
      throws Exception {
    List<String> expected = GcPressureStudy.bits(dir.resolve("normal"));
    int runs = GcPressureStudy.CACHED_METHODS.size() + GcPressureStudy.PER_BATCH_METHODS.size();
    assertEquals(runs + 2, expected.size(), String.join("\n", expected));
    for (String line : expected) {
      assertFalse(line.contains("NaN"), "a run diverged in the normal JVM: " + line);
    }

    for (int child = 0; child < CHILD_RUNS; child++) {
      Path childDir = dir.resolve("child" + child);
      Files.createDirectories(childDir);
      Path gcLog = childDir.resolve("gc.log");
      List<String> got = childRun(childDir, gcLog);
      long collections =
          Files.readAllLines(gcLog).stream().filter(l -> l.contains("Pause")).count();
      assertTrue(
          collections >= 1000,
          "the child JVM was under garbage-collection pressure (" + collections + " collections)");
      assertEquals(
          String.join("\n", expected),
          String.join("\n", got),
          "child " + child + " (" + collections + " collections) differs from a normal run");
    }
  }

  private List<String> childRun(Path childDir, Path gcLog) throws Exception {
    String out =
        ChildJvm.run(
            List.of(
                "-Xmn4m",
                "-XX:+UseSerialGC",
                "-Xlog:gc:file=" + gcLog,
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2",
                "-Dai.djl.pytorch.num_interop_threads=1"),
            Map.of(),
            GcPressureStudy.class,
            List.of(childDir.toString()),
            childDir.resolve("child.log"),
            300);
    return out.lines().filter(l -> l.startsWith("BITS ")).map(l -> l.substring(5)).toList();
  }
}
