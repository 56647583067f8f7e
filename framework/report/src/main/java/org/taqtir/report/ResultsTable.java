package org.taqtir.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyResult;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The study's results table: one row per student × method, statistics over seeds. Mean ± sample
 * standard deviation (n-1); a single seed shows the value alone.
 */
public final class ResultsTable {

  private ResultsTable() {}

  /**
   * Aggregates a study's runs.
   *
   * @param result the study result
   * @return columns student, architecture, method, seeds, ok, val_acc_mean, val_acc_std,
   *     test_acc_mean, test_acc_std, best_epoch, params, epoch_s (median over epochs and seeds),
   *     wall_s (mean)
   */
  public static Table of(StudyResult result) {
    Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
    for (RunSummary r : result.runs()) {
      groups.computeIfAbsent(r.student() + "\u0000" + r.method(), k -> new ArrayList<>()).add(r);
    }
    StringColumn student = StringColumn.create("student");
    StringColumn arch = StringColumn.create("architecture");
    StringColumn method = StringColumn.create("method");
    IntColumn seeds = IntColumn.create("seeds");
    IntColumn ok = IntColumn.create("ok");
    DoubleColumn valMean = DoubleColumn.create("val_acc_mean");
    DoubleColumn valStd = DoubleColumn.create("val_acc_std");
    DoubleColumn testMean = DoubleColumn.create("test_acc_mean");
    DoubleColumn testStd = DoubleColumn.create("test_acc_std");
    StringColumn bestEpoch = StringColumn.create("best_epoch");
    LongColumn params = LongColumn.create("params");
    DoubleColumn epochSeconds = DoubleColumn.create("epoch_s");
    DoubleColumn wall = DoubleColumn.create("wall_s");
    for (List<RunSummary> g : groups.values()) {
      RunSummary first = g.get(0);
      List<RunSummary> good = g.stream().filter(r -> r.result().ok()).toList();
      student.append(first.student());
      arch.append(first.architecture());
      method.append(first.method());
      seeds.append(g.size());
      ok.append(good.size());
      double[] val = good.stream().mapToDouble(r -> r.result().bestValAcc()).toArray();
      double[] test = good.stream().mapToDouble(r -> r.result().testAcc()).toArray();
      valMean.append(Stats.mean(val));
      valStd.append(Stats.std(val));
      testMean.append(Stats.mean(test));
      testStd.append(Stats.std(test));
      bestEpoch.append(
          String.join(
              " ", good.stream().map(r -> String.valueOf(r.result().bestEpoch() + 1)).toList()));
      params.append(first.result().parameterCount());
      epochSeconds.append(
          Stats.median(
              g.stream()
                  .flatMap(r -> r.result().history().stream())
                  .mapToDouble(m -> m.seconds())
                  .toArray()));
      wall.append(Stats.mean(g.stream().mapToDouble(RunSummary::wallSeconds).toArray()));
    }
    return Table.create(
        result.study().name(),
        student,
        arch,
        method,
        seeds,
        ok,
        valMean,
        valStd,
        testMean,
        testStd,
        bestEpoch,
        params,
        epochSeconds,
        wall);
  }

  /**
   * Formats the table for a terminal or Markdown: accuracies in percent as {@code mean ± std}.
   *
   * @param table a table from {@link #of}
   * @param teacherLine a line about the teacher shown above the table, or null
   * @return a Markdown pipe table
   */
  public static String toMarkdown(Table table, String teacherLine) {
    StringBuilder sb = new StringBuilder();
    if (teacherLine != null) {
      sb.append(teacherLine).append("\n\n");
    }
    sb.append(
        "| student | architecture | method | seeds | val acc % | test acc % | best epoch |"
            + " params | epoch s | wall s |\n");
    sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < table.rowCount(); i++) {
      int n = table.intColumn("ok").getInt(i);
      int total = table.intColumn("seeds").getInt(i);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %,d | %.2f | %.1f |%n",
              table.stringColumn("student").get(i),
              table.stringColumn("architecture").get(i),
              table.stringColumn("method").get(i),
              n == total ? String.valueOf(total) : n + " of " + total + " ok",
              pct(table, "val_acc", i),
              pct(table, "test_acc", i),
              table.stringColumn("best_epoch").get(i),
              table.longColumn("params").get(i),
              table.doubleColumn("epoch_s").getDouble(i),
              table.doubleColumn("wall_s").getDouble(i)));
    }
    return sb.toString();
  }

  private static String pct(Table t, String prefix, int row) {
    double mean = t.doubleColumn(prefix + "_mean").getDouble(row);
    double std = t.doubleColumn(prefix + "_std").getDouble(row);
    if (Double.isNaN(mean)) {
      return "n/a";
    }
    return Double.isNaN(std)
        ? String.format(Locale.ROOT, "%.2f", 100 * mean)
        : String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * std);
  }
}
