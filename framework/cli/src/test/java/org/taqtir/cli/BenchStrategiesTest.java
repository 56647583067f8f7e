package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taqtir bench strategies --pair=cnn} on tiny data: the strategies on (C, H, W) maps (at,
 * nst), which the quickstart's MLP pair cannot run, are timed on the CNN pair relative to hinton-kd
 * on that same pair (wall and CPU time).
 */
class BenchStrategiesTest {

  @TempDir Path dir;

  @Test
  void featureMapStrategiesAreTimedOnTheCnnPairAgainstHintonKd() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("experiments/quickstart"));
    Files.copy(
        Path.of("../../experiments/quickstart/study.yaml"),
        home.resolve("experiments/quickstart/study.yaml"));
    Path data = TinyStudy.data(dir);
    String before = System.getProperty("taqtir.home");
    System.setProperty("taqtir.home", home.toString());
    TinyStudy.Result r;
    try {
      r =
          TinyStudy.cli(
              "bench",
              "strategies",
              "--pair=cnn",
              "--data=" + data,
              "-P",
              "data.dir=" + data,
              "-P",
              "data.validation=200",
              "-P",
              "teacher.train.training.epochs=1",
              "-P",
              "training.epochs=1",
              "-P",
              "output.dir=" + dir.resolve("runs"));
    } finally {
      if (before == null) {
        System.clearProperty("taqtir.home");
      } else {
        System.setProperty("taqtir.home", before);
      }
    }
    assertEquals(0, r.code(), r.out() + r.err());
    String out = r.out();
    assertFalse(out.contains("## Strategy step time"), "--pair=cnn skips the mlp pair:\n" + out);
    int cnn = out.indexOf("## Strategies on (C, H, W) maps");
    assertTrue(cnn >= 0, out);
    String cnnTable = out.substring(cnn);
    assertTrue(cnnTable.contains("cnn c16-c32-128 k5 teacher"), cnnTable);
    String num = " -?[0-9]+\\.[0-9]+ \\|";
    assertTrue(
        cnnTable.matches(
            "(?s).*\\| hinton-kd \\|" + num + " 1\\.00 \\|" + num + " 1\\.00 \\|" + num + "\n.*"),
        cnnTable);
    for (String id : new String[] {"at", "nst"}) {
      assertTrue(cnnTable.matches("(?s).*\\| " + id + " \\|" + num.repeat(5) + "\n.*"), cnnTable);
    }
    assertFalse(cnnTable.contains("| dkd |"), cnnTable);
  }
}
