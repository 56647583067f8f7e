package org.taqtir.cli;

import java.util.List;
import java.util.Locale;
import org.taqtir.tracking.RunStore;
import tech.tablesaw.api.Table;

/** Builds the comparison table of recorded study runs from the run store alone. */
final class RunComparison {

  private RunComparison() {}

  static Table table(RunStore store, List<RunStore.Run> studies) {
    return org.taqtir.report.RunViews.of(store).comparison(studies);
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
