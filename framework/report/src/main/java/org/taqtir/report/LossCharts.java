package org.taqtir.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of the "what did we lose" evaluation: reliability diagram, per-class harm, accuracy under
 * corruption and the cascade curve. Inputs are plain arrays so the charts can be drawn from stored
 * numbers as well as from a live evaluation.
 */
public final class LossCharts {

  private LossCharts() {}

  /**
   * Reliability diagram: accuracy against mean confidence per confidence bin, one line per model,
   * with the diagonal of perfect calibration.
   *
   * @param title chart title
   * @param series model name to {@code {meanConfidence[], accuracy[]}} of the non-empty bins
   * @return the chart
   */
  public static XYChart reliability(String title, Map<String, double[][]> series) {
    XYChart chart =
        new XYChartBuilder()
            .width(700)
            .height(620)
            .title(title)
            .xAxisTitle("confidence (mean max probability in bin)")
            .yAxisTitle("accuracy in bin")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    chart
        .addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1})
        .setMarker(SeriesMarkers.NONE);
    for (var e : series.entrySet()) {
      if (e.getValue()[0].length > 0) {
        chart
            .addSeries(e.getKey(), e.getValue()[0], e.getValue()[1])
            .setMarker(SeriesMarkers.CIRCLE);
      }
    }
    return chart;
  }

  /**
   * Per-class accuracy change against the baseline with 95 % bootstrap intervals as error bars
   * (drawn symmetric around the mean at the larger half-width, the exact bounds are in the table).
   *
   * @param title chart title
   * @param classes class names
   * @param delta Δ accuracy per class, in percentage points
   * @param lo lower interval bound per class, in points
   * @param hi upper interval bound per class, in points
   * @return the chart
   */
  public static CategoryChart perClassDelta(
      String title, List<String> classes, double[] delta, double[] lo, double[] hi) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(520)
            .title(title)
            .xAxisTitle("class")
            .yAxisTitle("Δ accuracy vs label-only baseline (points)")
            .build();
    chart.getStyler().setLegendVisible(false);
    List<Double> d = new ArrayList<>();
    List<Double> err = new ArrayList<>();
    for (int i = 0; i < delta.length; i++) {
      d.add(delta[i]);
      err.add(Math.max(delta[i] - lo[i], hi[i] - delta[i]));
    }
    chart.addSeries("Δ accuracy", classes, d, err);
    // the axis must hold every error bar, or a wide interval is silently cut at the plot's edge
    double min = 0;
    double max = 0;
    for (int i = 0; i < d.size(); i++) {
      min = Math.min(min, d.get(i) - err.get(i));
      max = Math.max(max, d.get(i) + err.get(i));
    }
    double pad = Math.max(0.25, 0.05 * (max - min));
    chart.getStyler().setYAxisMin(Math.floor(min - pad)).setYAxisMax(Math.ceil(max + pad));
    return chart;
  }

  /**
   * Accuracy per corruption for several models.
   *
   * @param title chart title
   * @param corruptions corruption names (x axis)
   * @param accuracy model name to accuracy in percent per corruption
   * @return the chart
   */
  public static CategoryChart corruptions(
      String title, List<String> corruptions, Map<String, double[]> accuracy) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1100)
            .height(560)
            .title(title)
            .xAxisTitle("corruption (mean accuracy over its 3 severities)")
            .yAxisTitle("test accuracy (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
    for (var e : accuracy.entrySet()) {
      List<Double> v = new ArrayList<>();
      for (double a : e.getValue()) {
        v.add(a);
      }
      chart.addSeries(e.getKey(), corruptions, v);
    }
    return chart;
  }

  /**
   * Cascade curve: accuracy against the fraction of samples deferred to the teacher, for the
   * confidence rule, oracle deferral and random deferral.
   *
   * @param title chart title
   * @param curves name to {@code {deferralRate[], accuracy[]}} (accuracy in percent)
   * @param chosen the chosen operating point {@code {deferralRate, accuracy}}, or null
   * @return the chart
   */
  public static XYChart cascade(String title, Map<String, double[][]> curves, double[] chosen) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(560)
            .title(title)
            .xAxisTitle("fraction deferred to the teacher")
            .yAxisTitle("accuracy (%)")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(4);
    for (var e : curves.entrySet()) {
      chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]).setMarker(SeriesMarkers.NONE);
    }
    if (chosen != null) {
      chart
          .addSeries("chosen threshold", new double[] {chosen[0]}, new double[] {chosen[1]})
          .setMarker(SeriesMarkers.DIAMOND);
    }
    return chart;
  }
}
