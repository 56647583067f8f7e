package org.taqtir.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * How Taqtir's epoch time grows: Hinton KD with cached teacher outputs against the training-set
 * size, and Hinton KD with the teacher run every batch against the teacher's width (its parameter
 * count). Each point is one normal traced {@code bin/taqtir run}; the figure is the median of its
 * epochs after the first. A least-squares line and its R² say whether the growth is linear. The
 * teachers here are trained for one epoch only: their quality does not change the time of a forward
 * pass.
 */
final class Scaling {

  /** Training-set sizes (the validation split takes 5,000 of the 60,000 images first). */
  static final int[] SIZES = {10_000, 20_000, 30_000, 40_000, 55_000};

  /** Teacher widths (both hidden layers). */
  static final int[] WIDTHS = {300, 600, 1200, 2400};

  private static final int EPOCHS = 5;

  private final PeerBench bench;
  private final Path dir;

  Scaling(PeerBench bench, Path dir) {
    this.bench = bench;
    this.dir = dir;
  }

  /** One point: x, seconds per epoch, and the run's process time. */
  record Point(double x, double epochSeconds, double processSeconds) {}

  void run() throws IOException, InterruptedException {
    Workload cached = workload("kd-cached");
    Workload perBatch = workload("kd-batch");
    List<Point> bySize = new ArrayList<>();
    for (int size : SIZES) {
      String name = "scale-size-" + size;
      String yaml = bench.study(name, cached, Workload.TEACHER, EPOCHS, size, 1);
      bySize.add(point(name, yaml, size));
      bench.log().printf(Locale.ROOT, "scaling: %d images, %.3f s/epoch%n", size, last(bySize));
    }
    List<Point> byWidth = new ArrayList<>();
    for (int width : WIDTHS) {
      String name = "scale-width-" + width;
      String yaml = bench.study(name, perBatch, List.of(width, width), EPOCHS, 0, 1);
      long params = 784L * width + width + (long) width * width + width + width * 10L + 10;
      byWidth.add(point(name, yaml, params));
      bench
          .log()
          .printf(
              Locale.ROOT,
              "scaling: teacher %d-%d (%d parameters), %.3f s/epoch%n",
              width,
              width,
              params,
              last(byWidth));
    }
    StringBuilder md = new StringBuilder();
    md.append(table("KD, cached teacher outputs, vs training images", "images", bySize));
    md.append('\n');
    md.append(table("KD, teacher every batch, vs teacher parameters", "teacher params", byWidth));
    PeerBench.writeString(dir.resolve("scaling.md"), md.toString());
    bench.log().println();
    bench.log().print(md);
    chart("KD (cached) epoch time vs training images", "training images", bySize, "size.png");
    chart(
        "KD (teacher per batch) epoch time vs teacher parameters",
        "teacher parameters",
        byWidth,
        "teacher-width.png");
  }

  private static double last(List<Point> points) {
    return points.get(points.size() - 1).epochSeconds();
  }

  private static Workload workload(String name) {
    return Workload.all().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
  }

  private Point point(String name, String yaml, double x) throws IOException, InterruptedException {
    Path trace = dir.resolve("trace").resolve(name);
    Timed t = bench.runTaqtir(name, yaml, 1, trace, false);
    double[] secs =
        PeerBench.epochSeconds(
            PeerBench.csv(PeerBench.traceOf(trace, "student").resolve("epochs.csv")));
    return new Point(
        x,
        new Measurement(name, "taqtir", 1, secs, 0, 0, t.peakRssMb(), t.seconds()).steadyEpoch(),
        t.seconds());
  }

  /**
   * Least-squares line through the points.
   *
   * @return intercept, slope, R²
   */
  static double[] fit(List<Point> points) {
    int n = points.size();
    double mx = points.stream().mapToDouble(Point::x).average().orElseThrow();
    double my = points.stream().mapToDouble(Point::epochSeconds).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (Point p : points) {
      sxy += (p.x() - mx) * (p.epochSeconds() - my);
      sxx += (p.x() - mx) * (p.x() - mx);
      syy += (p.epochSeconds() - my) * (p.epochSeconds() - my);
    }
    double slope = sxy / sxx;
    double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
    return new double[] {my - slope * mx, slope, n < 3 ? Double.NaN : r2};
  }

  private static String table(String title, String xName, List<Point> points) {
    double[] f = fit(points);
    StringBuilder s = new StringBuilder();
    s.append(title).append("\n\n");
    s.append("| ").append(xName).append(" | s/epoch | µs per unit | line fit s/epoch |\n");
    s.append("|---:|---:|---:|---:|\n");
    for (Point p : points) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %.0f | %.3f | %.4f | %.3f |%n",
              p.x(),
              p.epochSeconds(),
              1e6 * p.epochSeconds() / p.x(),
              f[0] + f[1] * p.x()));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "%nLeast squares: %.4f s + %.4g s per unit; R² = %.4f%n",
            f[0],
            f[1],
            f[2]));
    return s.toString();
  }

  private void chart(String title, String xName, List<Point> points, String file)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(700)
            .height(420)
            .title(title)
            .xAxisTitle(xName)
            .yAxisTitle("s / epoch")
            .build();
    double[] x = points.stream().mapToDouble(Point::x).toArray();
    double[] y = points.stream().mapToDouble(Point::epochSeconds).toArray();
    double[] f = fit(points);
    double[] line = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      line[i] = f[0] + f[1] * x[i];
    }
    chart.addSeries("measured", x, y);
    chart.addSeries(String.format(Locale.ROOT, "least squares (R² %.3f)", f[2]), x, line);
    BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
