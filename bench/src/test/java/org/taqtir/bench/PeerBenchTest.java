package org.taqtir.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.data.Synthetic;
import picocli.CommandLine;

class PeerBenchTest {

  @Test
  void medianOfEvenAndOddCounts() {
    assertEquals(2.0, Measurement.median(new double[] {3, 1, 2}));
    assertEquals(2.5, Measurement.median(new double[] {4, 1, 3, 2}));
    Measurement m = new Measurement("w", "taqtir", 1, new double[] {9, 1, 3, 2}, 0, 0, 0, 0);
    assertEquals(9, m.firstEpoch());
    assertEquals(2, m.steadyEpoch(), "the first epoch is left out of the steady state");
  }

  @Test
  void lineFitFindsALineAndItsQuality() {
    List<Scaling.Point> points = new ArrayList<>();
    for (int x = 1; x <= 5; x++) {
      points.add(new Scaling.Point(x, 0.5 + 2 * x, 0));
    }
    double[] f = Scaling.fit(points);
    assertEquals(0.5, f[0], 1e-12);
    assertEquals(2, f[1], 1e-12);
    assertEquals(1, f[2], 1e-12);
    points.set(4, new Scaling.Point(5, 30, 0));
    assertTrue(Scaling.fit(points)[2] < 0.95, "a bent curve is not a line");
  }

  /**
   * The harness end to end on a tiny data set: every workload through Taqtir's study path (a child
   * JVM on this test's classpath) and through the PyTorch twin, one round. Because the twin starts
   * from the traced initial weights and data order, both stacks must report the same first-epoch
   * loss (to float rounding) and the same test accuracy (to a few images). Skipped where Python has
   * no torch (CI); run here with Debian's python3-torch.
   */
  @Test
  void pytorchTwinRepeatsEveryTracedTaqtirTraining(@TempDir Path dir) throws Exception {
    Path home = Path.of("").toAbsolutePath().getParent();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PeerBench bench = new PeerBench(home, new PrintStream(log, true, StandardCharsets.UTF_8));
    assumeTrue(bench.torchVersion() != null, bench.python + " cannot import torch and numpy");
    Path data = Synthetic.writeTinyFashionLike(dir.resolve("data"), 1200, 400, 5);
    bench.taqtirJava =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=2",
            "-Dai.djl.pytorch.num_interop_threads=1",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "org.taqtir.cli.Main");
    Path out = dir.resolve("out");
    PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(bench)
            .setErr(new PrintWriter(logStream, true))
            .execute(
                "--rounds=1",
                "--epochs=2",
                "--teacher-epochs=2",
                "--kd-teacher-epochs=3",
                "--batch=32",
                "--validation=200",
                "--student-hidden=16",
                "--teacher-hidden=32,32",
                "--data=" + data,
                "--out=" + out);
    String text = log.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(0, code, text);
    List<String[]> rows = PeerBench.csv(out.resolve("results.csv"));
    Set<String> seen = new HashSet<>();
    for (String[] r : rows) {
      seen.add(r[0]);
      double taqtirLoss = Double.parseDouble(r[12]);
      double torchLoss = Double.parseDouble(r[13]);
      assertEquals(
          taqtirLoss,
          torchLoss,
          1e-4 * Math.abs(taqtirLoss),
          r[0] + ": the first epoch's mean loss differs between the stacks\n" + text);
      double taqtirAcc = Double.parseDouble(r[10]);
      double torchAcc = Double.parseDouble(r[11]);
      assertEquals(taqtirAcc, torchAcc, 0.01, r[0] + ": test accuracy differs\n" + text);
      assertTrue(Double.parseDouble(r[8]) > 0, r[0] + ": no peak RSS read");
    }
    assertEquals(Set.of("teacher", "labels", "kd-batch", "kd-cached", "fitnets", "sp"), seen, text);
    assertTrue(Files.size(out.resolve("epoch-time.png")) > 1000);
    assertTrue(Files.size(out.resolve("ratio.png")) > 1000);
    assertTrue(Files.readString(out.resolve("results.md")).contains("| kd-cached |"));

    // The report drawn again from rounds.csv alone has the same rows and ratios.
    Path again = dir.resolve("again");
    int redraw =
        new CommandLine(new PeerBench(home, logStream))
            .execute("--report-from=" + out.resolve("rounds.csv"), "--batch=32", "--out=" + again);
    assertEquals(0, redraw, log.toString(StandardCharsets.UTF_8));
    List<String[]> redrawn = PeerBench.csv(again.resolve("results.csv"));
    assertEquals(rows.size(), redrawn.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(rows.get(i)[0], redrawn.get(i)[0]);
      // rounds.csv keeps seconds to 1 µs (as the trace does): the redrawn ratio matches to rounding
      assertEquals(Double.parseDouble(rows.get(i)[3]), Double.parseDouble(redrawn.get(i)[3]), 0.02);
    }
  }
}
