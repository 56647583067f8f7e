package org.taqtir.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.taqtir.tracking.RunStore;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Tables and charts from the run store alone, for the CLI ({@code runs compare|export|plot}) and
 * for notebooks:
 *
 * <pre>{@code
 * try (RunViews v = RunViews.open(Path.of("runs/taqtir.db"))) {
 *   var study = v.store().latestStudyRun("quickstart");
 *   Table runs = v.runTable(List.of(study));              // one row per student run
 *   Table cmp = v.comparison(List.of(study));             // mean ± std over seeds
 *   XYChart curves = v.learningCurves(v.store().children(study.id()), "val/acc");
 *   CategoryChart bars = v.strategyComparison(cmp, "test_acc");
 * }
 * }</pre>
 */
public final class RunViews implements AutoCloseable {

  private final RunStore store;
  private final boolean owned;

  private RunViews(RunStore store, boolean owned) {
    this.store = store;
    this.owned = owned;
  }

  /**
   * Opens a store for reading views.
   *
   * @param file the store, e.g. {@code runs/taqtir.db}
   * @return the views; close them to close the store
   * @throws IllegalArgumentException when the file does not exist or is not a run store
   */
  public static RunViews open(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          file + ": no run store yet (run a study first, or pass another store file)");
    }
    return new RunViews(RunStore.open(file), true);
  }

  /**
   * Views over a store the caller keeps open (and closes).
   *
   * @param store the store
   * @return the views; closing them leaves the store open
   */
  public static RunViews of(RunStore store) {
    return new RunViews(store, false);
  }

  /**
   * Returns the store, for queries the views do not cover.
   *
   * @return the store
   */
  public RunStore store() {
    return store;
  }

  /**
   * Recent runs, newest first.
   *
   * @param limit the most to return
   * @return columns id, experiment, parent_id, name, status, start_time (epoch ms), test_acc
   */
  public Table runs(int limit) {
    StringColumn id = StringColumn.create("id");
    StringColumn exp = StringColumn.create("experiment");
    StringColumn parent = StringColumn.create("parent_id");
    StringColumn name = StringColumn.create("name");
    StringColumn status = StringColumn.create("status");
    LongColumn start = LongColumn.create("start_time");
    DoubleColumn test = DoubleColumn.create("test_acc");
    for (RunStore.Run r : store.runs(limit)) {
      id.append(r.id());
      exp.append(r.experiment());
      parent.append(r.parentId() == null ? "" : r.parentId());
      name.append(r.name());
      status.append(r.status());
      start.append(r.startTime());
      test.append(store.latestMetrics(r.id()).getOrDefault("test/acc", Double.NaN));
    }
    return Table.create("runs", id, exp, parent, name, status, start, test);
  }

  /**
   * One row per student run of the given study runs: its identity, params and the latest value of
   * every metric (one column per metric key, NaN where a run lacks it).
   *
   * @param studies study runs (parents)
   * @return the table, named {@code runs}
   */
  public Table runTable(List<RunStore.Run> studies) {
    List<RunStore.Run> children = new ArrayList<>();
    for (RunStore.Run s : studies) {
      children.addAll(store.children(s.id()));
    }
    List<Map<String, String>> params = new ArrayList<>();
    List<Map<String, Double>> metrics = new ArrayList<>();
    TreeSet<String> paramKeys = new TreeSet<>();
    TreeSet<String> metricKeys = new TreeSet<>();
    for (RunStore.Run c : children) {
      params.add(store.params(c.id()));
      metrics.add(store.latestMetrics(c.id()));
      paramKeys.addAll(params.get(params.size() - 1).keySet());
      metricKeys.addAll(metrics.get(metrics.size() - 1).keySet());
    }
    Table t = Table.create("runs");
    StringColumn study = StringColumn.create("study_run");
    StringColumn id = StringColumn.create("run_id");
    StringColumn name = StringColumn.create("name");
    StringColumn status = StringColumn.create("status");
    for (RunStore.Run c : children) {
      study.append(c.parentId());
      id.append(c.id());
      name.append(c.name());
      status.append(c.status());
    }
    t.addColumns(study, id, name, status);
    for (String k : paramKeys) {
      StringColumn col = StringColumn.create(k);
      params.forEach(p -> col.append(p.getOrDefault(k, "")));
      t.addColumns(col);
    }
    for (String k : metricKeys) {
      DoubleColumn col = DoubleColumn.create(k);
      metrics.forEach(m -> col.append(m.getOrDefault(k, Double.NaN)));
      t.addColumns(col);
    }
    return t;
  }

  /**
   * Every metric's full history of a run, one row per step.
   *
   * @param runId the run
   * @param keys the metric keys, e.g. {@code val/acc}
   * @return columns step, then one per key (NaN where a key has no value at that step)
   */
  public Table history(String runId, List<String> keys) {
    Map<Long, double[]> rows = new java.util.TreeMap<>();
    for (int k = 0; k < keys.size(); k++) {
      for (double[] p : store.history(runId, keys.get(k))) {
        double[] row =
            rows.computeIfAbsent(
                (long) p[0],
                s -> {
                  double[] r = new double[keys.size()];
                  java.util.Arrays.fill(r, Double.NaN);
                  return r;
                });
        row[k] = p[1];
      }
    }
    LongColumn step = LongColumn.create("step");
    List<DoubleColumn> cols = new ArrayList<>();
    keys.forEach(k -> cols.add(DoubleColumn.create(k)));
    rows.forEach(
        (s, v) -> {
          step.append(s);
          for (int k = 0; k < v.length; k++) {
            cols.get(k).append(v[k]);
          }
        });
    Table t = Table.create("history", step);
    cols.forEach(t::addColumns);
    return t;
  }

  /**
   * The comparison of study runs: per study run, student and method, the number of finished seeds
   * and the mean ± std over them of the best validation accuracy, the test accuracy and the wall
   * time (the table {@code taqtir runs compare} prints).
   *
   * @param studies study runs (parents)
   * @return columns study_run, student, method, seeds, val_acc_mean, val_acc_std, test_acc_mean,
   *     test_acc_std, wall_s_mean
   */
  public Table comparison(List<RunStore.Run> studies) {
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

  /**
   * Learning curves: a metric against its step, one line per run.
   *
   * @param runs the runs (e.g. a study run's children)
   * @param metric the metric key, e.g. {@code val/acc} or {@code train/loss}
   * @return the chart
   */
  public XYChart learningCurves(List<RunStore.Run> runs, String metric) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title(metric + " per step")
            .xAxisTitle("step (epoch)")
            .yAxisTitle(metric)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(5);
    for (RunStore.Run r : runs) {
      List<double[]> h = store.history(r.id(), metric);
      if (h.isEmpty()) {
        continue;
      }
      double[] x = h.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = h.stream().mapToDouble(p -> p[1]).toArray();
      chart.addSeries(uniqueName(chart, r.name()), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    return chart;
  }

  /**
   * Strategy comparison: one bar per student × method with ± one standard deviation over seeds as
   * error bars.
   *
   * @param comparison a table from {@link #comparison}
   * @param prefix {@code test_acc} or {@code val_acc}
   * @return the chart (accuracies in percent)
   */
  public CategoryChart strategyComparison(Table comparison, String prefix) {
    if (!prefix.equals("test_acc") && !prefix.equals("val_acc")) {
      throw new IllegalArgumentException("metric must be test_acc or val_acc, found " + prefix);
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(560)
            .title(prefix.replace('_', ' ') + " (mean ± std over seeds)")
            .xAxisTitle("student / method")
            .yAxisTitle(prefix.replace('_', ' ') + " (%)")
            .build();
    chart.getStyler().setLegendVisible(false);
    List<String> names = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    boolean several = comparison.stringColumn("study_run").countUnique() > 1;
    for (int i = 0; i < comparison.rowCount(); i++) {
      double m = comparison.doubleColumn(prefix + "_mean").getDouble(i);
      if (Double.isNaN(m)) {
        continue;
      }
      double s = comparison.doubleColumn(prefix + "_std").getDouble(i);
      names.add(
          (several ? comparison.stringColumn("study_run").get(i) + " " : "")
              + comparison.stringColumn("student").get(i)
              + " / "
              + comparison.stringColumn("method").get(i));
      means.add(100 * m);
      errors.add(Double.isNaN(s) ? 0 : 100 * s);
    }
    if (!names.isEmpty()) {
      chart.addSeries(prefix, names, means, errors);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < means.size(); i++) {
        lo = Math.min(lo, means.get(i) - errors.get(i));
        hi = Math.max(hi, means.get(i) + errors.get(i));
      }
      chart.getStyler().setYAxisMin(Math.max(0, Math.floor(lo - 2)));
      chart.getStyler().setYAxisMax(Math.min(100, Math.ceil(hi + 1)));
    }
    return chart;
  }

  /**
   * Renders any table as a Markdown table (numbers to 6 significant digits, NaN as empty).
   *
   * @param t the table
   * @return Markdown text, one line per row
   */
  public static String markdown(Table t) {
    StringBuilder sb = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    for (var c : t.columns()) {
      sb.append(' ').append(c.name()).append(" |");
      rule.append(c.type().equals(tech.tablesaw.api.ColumnType.STRING) ? "---|" : "---:|");
    }
    sb.append('\n').append(rule).append('\n');
    for (int i = 0; i < t.rowCount(); i++) {
      sb.append('|');
      for (var c : t.columns()) {
        Object v = c.get(i);
        String text;
        if (v instanceof Double d) {
          text = d.isNaN() ? "" : String.format(java.util.Locale.ROOT, "%.6g", d);
        } else {
          text = String.valueOf(v).replace("|", "\\|");
        }
        sb.append(' ').append(text).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String uniqueName(XYChart chart, String name) {
    String n = name;
    for (int i = 2; chart.getSeries(n) != null; i++) {
      n = name + " (" + i + ")";
    }
    return n;
  }

  @Override
  public void close() {
    if (owned) {
      store.close();
    }
  }
}
