package org.taqtir.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyResult;
import tech.tablesaw.api.Table;

/** The study's charts, rendered headless to PNG. */
public final class StudyCharts {

  private StudyCharts() {}

  /**
   * Validation accuracy per epoch, one line per student × method (mean over seeds).
   *
   * @param result the study result
   * @return the chart
   */
  public static XYChart learningCurves(StudyResult result) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title(result.study().name() + ": validation accuracy per epoch (mean over seeds)")
            .xAxisTitle("epoch")
            .yAxisTitle("validation accuracy (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(6);
    Map<String, List<RunSummary>> groups = new LinkedHashMap<>();
    for (RunSummary r : result.runs()) {
      groups.computeIfAbsent(r.student() + " / " + r.method(), k -> new ArrayList<>()).add(r);
    }
    for (var e : groups.entrySet()) {
      int epochs = e.getValue().stream().mapToInt(r -> r.result().history().size()).min().orElse(0);
      if (epochs == 0) {
        continue;
      }
      double[] x = new double[epochs];
      double[] y = new double[epochs];
      for (int i = 0; i < epochs; i++) {
        x[i] = i + 1;
        int ep = i;
        y[i] =
            100
                * Stats.mean(
                    e.getValue().stream()
                        .mapToDouble(r -> r.result().history().get(ep).valAcc())
                        .toArray());
      }
      chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    if (result.teacher() != null) {
      double maxEpoch = Math.max(1, result.study().training().epochs());
      chart
          .addSeries(
              "teacher (val)",
              new double[] {1, maxEpoch},
              new double[] {100 * result.teacher().valAcc(), 100 * result.teacher().valAcc()})
          .setMarker(SeriesMarkers.NONE);
    }
    return chart;
  }

  /**
   * Test accuracy per student × method with ± one standard deviation over seeds as error bars. A
   * dot plot, not bars: the axis is zoomed on the values (bars on a zoomed axis exaggerate the
   * differences), and a collapsed run stays readable beside the rest. With one student the
   * categories are the method names alone; long lists are slanted so the names do not overlap.
   *
   * @param result the study result
   * @param table the table from {@link ResultsTable#of}
   * @return the chart
   */
  public static CategoryChart testAccuracy(StudyResult result, Table table) {
    boolean oneStudent = table.stringColumn("student").unique().size() <= 1;
    List<String> names = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    List<Double> errors = new ArrayList<>();
    if (result.teacher() != null && !Double.isNaN(result.teacher().testAcc())) {
      names.add("teacher");
      means.add(100 * result.teacher().testAcc());
      errors.add(0.0);
    }
    for (int i = 0; i < table.rowCount(); i++) {
      double m = table.doubleColumn("test_acc_mean").getDouble(i);
      if (Double.isNaN(m)) {
        continue;
      }
      double s = table.doubleColumn("test_acc_std").getDouble(i);
      String method = table.stringColumn("method").get(i);
      names.add(oneStudent ? method : table.stringColumn("student").get(i) + " / " + method);
      means.add(100 * m);
      errors.add(Double.isNaN(s) ? 0 : 100 * s);
    }
    // every category keeps its label: XChart drops labels that would overlap, so a long list gets
    // a wider chart and slanted labels
    int longest = names.stream().mapToInt(String::length).max().orElse(0);
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(Math.max(900, names.size() * (longest > 12 ? 75 : 60)))
            .height(longest > 12 ? 600 : 560)
            .title(result.study().name() + ": test accuracy (mean ± std over seeds)")
            .xAxisTitle(oneStudent ? "method" : "student / method")
            .yAxisTitle("test accuracy (%)")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(10);
    chart.getStyler().setDecimalPattern("0.00");
    if (!names.isEmpty()) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < means.size(); i++) {
        lo = Math.min(lo, means.get(i) - errors.get(i));
        hi = Math.max(hi, means.get(i) + errors.get(i));
      }
      chart.addSeries("test accuracy", names, means, errors);
      chart.getStyler().setYAxisMin(Math.max(0, Math.floor(lo - 1)));
      chart.getStyler().setYAxisMax(Math.min(100, Math.ceil(hi + 1)));
      if (names.size() > 4 && longest > 12) {
        chart.getStyler().setXAxisLabelRotation(45);
      }
    }
    return chart;
  }

  /**
   * Writes a chart as PNG.
   *
   * @param chart an XChart chart
   * @param file the target path ending in {@code .png}
   * @return the file
   */
  public static Path savePng(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
    try {
      String name = file.toString();
      String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
      BitmapEncoder.saveBitmapWithDPI(chart, base, BitmapEncoder.BitmapFormat.PNG, 120);
      return Path.of(base + ".png");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chart " + file + ": " + e.getMessage(), e);
    }
  }
}
