package org.taqtir.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taqtir.report.Stats;
import org.taqtir.tracking.RunStore;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Builds the comparison table of recorded study runs from the run store alone. */
final class RunComparison {

  private RunComparison() {}

  static Table table(RunStore store, List<RunStore.Run> studies) {
    StringColumn run = StringColumn.create("study_run");
    StringColumn student = StringColumn.create("student");
    StringColumn method = StringColumn.create("method");
    IntColumn seeds = IntColumn.create("seeds");
    DoubleColumn valMean = DoubleColumn.create("val_acc_mean");
    DoubleColumn valStd = DoubleColumn.create("val_acc_std");
    DoubleColumn testMean = DoubleColumn.create("test_acc_mean");
    DoubleColumn testStd = DoubleColumn.create("test_acc_std");
    DoubleColumn wall = DoubleColumn.create("wall_s_mean");
    for (RunStore.Run s : studies) {
      Map<String, List<Map<String, Double>>> groups = new LinkedHashMap<>();
      Map<String, String[]> keys = new LinkedHashMap<>();
      for (RunStore.Run child : store.children(s.id())) {
        if (!"FINISHED".equals(child.status())) {
          continue;
        }
        Map<String, String> p = store.params(child.id());
        String k = p.get("student") + "\u0000" + p.get("method");
        keys.putIfAbsent(k, new String[] {p.get("student"), p.get("method")});
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(store.latestMetrics(child.id()));
      }
      for (var e : groups.entrySet()) {
        List<Map<String, Double>> ms = e.getValue();
        double[] val =
            ms.stream().mapToDouble(m -> m.getOrDefault("best/val_acc", Double.NaN)).toArray();
        double[] test =
            ms.stream().mapToDouble(m -> m.getOrDefault("test/acc", Double.NaN)).toArray();
        double[] w =
            ms.stream().mapToDouble(m -> m.getOrDefault("wall_seconds", Double.NaN)).toArray();
        run.append(s.id().substring(0, 8));
        student.append(keys.get(e.getKey())[0]);
        method.append(keys.get(e.getKey())[1]);
        seeds.append(ms.size());
        valMean.append(Stats.mean(val));
        valStd.append(Stats.std(val));
        testMean.append(Stats.mean(test));
        testStd.append(Stats.std(test));
        wall.append(Stats.mean(w));
      }
    }
    return Table.create(
        "comparison", run, student, method, seeds, valMean, valStd, testMean, testStd, wall);
  }

  static String markdown(Table t) {
    StringBuilder sb =
        new StringBuilder(
            "| study run | student | method | seeds | val acc % | test acc % | wall s |\n"
                + "|---|---|---|---:|---:|---:|---:|\n");
    for (int i = 0; i < t.rowCount(); i++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %s | %s | %.1f |%n",
              t.stringColumn("study_run").get(i),
              t.stringColumn("student").get(i),
              t.stringColumn("method").get(i),
              t.intColumn("seeds").getInt(i),
              pm(t, "val_acc", i),
              pm(t, "test_acc", i),
              t.doubleColumn("wall_s_mean").getDouble(i)));
    }
    return sb.toString();
  }

  private static String pm(Table t, String prefix, int i) {
    double m = t.doubleColumn(prefix + "_mean").getDouble(i);
    double s = t.doubleColumn(prefix + "_std").getDouble(i);
    return Double.isNaN(s)
        ? String.format(Locale.ROOT, "%.2f", 100 * m)
        : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * m, 100 * s);
  }
}
