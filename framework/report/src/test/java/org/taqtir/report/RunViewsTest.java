package org.taqtir.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYSeries;
import org.taqtir.tracking.RunStore;
import tech.tablesaw.api.Table;

/** Tables and charts built from a store written here with known values. */
class RunViewsTest {

  @TempDir Path dir;

  /** Study "s": method kd with test acc 0.80, 0.84 (seeds 1, 2), method ce with 0.70 (seed 1). */
  private static RunStore.Run fill(RunStore s) {
    long e = s.experiment("s");
    String study = s.startRun(e, null, "s run");
    double[][] runs = {{1, 0.80}, {2, 0.84}};
    for (double[] r : runs) {
      child(s, e, study, "kd", (long) r[0], r[1]);
    }
    child(s, e, study, "ce", 1, 0.70);
    s.finish(study, "FINISHED");
    return s.run(study);
  }

  private static void child(RunStore s, long e, String study, String method, long seed, double t) {
    String id = s.startRun(e, study, "mlp/" + method + "/seed" + seed);
    s.params(id, Map.of("student", "mlp", "method", method, "seed", String.valueOf(seed)));
    for (int step = 1; step <= 3; step++) {
      s.metrics(id, Map.of("val/acc", t - 0.1 / step), step);
    }
    s.metrics(id, Map.of("test/acc", t, "best/val_acc", t - 0.1 / 3, "wall_seconds", 2.0), 3);
    s.finish(id, "FINISHED");
  }

  @Test
  void comparisonRunTableHistoryAndChartsMatchTheRecordedValues() {
    try (RunStore s = RunStore.open(dir.resolve("t.db"));
        RunViews v = RunViews.of(s)) {
      RunStore.Run study = fill(s);
      Table cmp = v.comparison(List.of(study));
      assertEquals(2, cmp.rowCount());
      assertEquals("kd", cmp.stringColumn("method").get(0));
      assertEquals(2, cmp.intColumn("seeds").getInt(0));
      assertEquals(0.82, cmp.doubleColumn("test_acc_mean").getDouble(0), 1e-12);
      // sample standard deviation of {0.80, 0.84}: sqrt(2 * 0.02^2 / 1)
      assertEquals(Math.sqrt(2 * 0.0004), cmp.doubleColumn("test_acc_std").getDouble(0), 1e-12);

      Table runs = v.runTable(List.of(study));
      assertEquals(3, runs.rowCount());
      assertTrue(runs.columnNames().containsAll(List.of("method", "seed", "test/acc", "val/acc")));
      assertEquals(0.70, runs.doubleColumn("test/acc").getDouble(2), 0);
      assertEquals(0.70 - 0.1 / 3, runs.doubleColumn("val/acc").getDouble(2), 0);

      String kd = s.children(study.id()).get(0).id();
      Table h = v.history(kd, List.of("val/acc", "test/acc"));
      assertEquals(List.of(1L, 2L, 3L), h.longColumn("step").asList());
      assertTrue(Double.isNaN(h.doubleColumn("test/acc").getDouble(0)));
      assertEquals(0.80, h.doubleColumn("test/acc").getDouble(2), 0);

      var curves = v.learningCurves(s.children(study.id()), "val/acc");
      assertEquals(3, curves.getSeriesCollection().size());
      XYSeries first = curves.getSeries("mlp/kd/seed1");
      assertArrayEquals(new double[] {1, 2, 3}, first.getXData());
      assertArrayEquals(
          new double[] {0.80 - 0.1, 0.80 - 0.05, 0.80 - 0.1 / 3}, first.getYData(), 1e-15);

      var bars = v.strategyComparison(cmp, "test_acc");
      CategorySeries series = bars.getSeries("test_acc");
      assertEquals(82.0, series.getYData()[0], 1e-9);
      assertEquals(70.0, series.getYData()[1], 1e-9);
      assertEquals(100 * Math.sqrt(0.0008), series.getExtraValues()[0], 1e-9);
      assertEquals(0.0, series.getExtraValues()[1], 0);
      assertThrows(IllegalArgumentException.class, () -> v.strategyComparison(cmp, "loss"));

      String md = RunViews.markdown(cmp);
      assertTrue(md.startsWith("| study_run | student | method | seeds |"), md);
      assertEquals(4, md.lines().count());
    }
  }

  @Test
  void openRefusesAMissingStore() {
    var e = assertThrows(IllegalArgumentException.class, () -> RunViews.open(dir.resolve("no.db")));
    assertTrue(e.getMessage().contains("no run store yet"), e.getMessage());
  }
}
