package org.taqtir.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The comparison of both stacks per workload: medians over the interleaved rounds, the issue's
 * targets beside them, as a console table, {@code results.md}, {@code results.csv}, {@code
 * rounds.csv} (every measurement) and {@code epoch-time.png}.
 */
final class Report {

  /** Largest accepted peak RSS of a Taqtir run, MB. */
  static final double RSS_TARGET_MB = 800;

  /** Largest accepted first epoch, in steady-state epochs. */
  static final double FIRST_EPOCH_TARGET = 1.5;

  /** Largest accepted test-accuracy difference, points. */
  static final double ACCURACY_TARGET_POINTS = 0.5;

  private final List<Workload> workloads;
  private final List<Measurement> all;
  private final String torch;
  private final int batch;
  private final int epochs;
  private final int rounds;

  Report(
      List<Workload> workloads,
      List<Measurement> all,
      String torch,
      int batch,
      int epochs,
      int rounds) {
    this.workloads = workloads;
    this.all = all;
    this.torch = torch;
    this.batch = batch;
    this.epochs = epochs;
    this.rounds = rounds;
  }

  /** The time-ratio target of a workload: 1.0 for training from labels, 0.9 for distillation. */
  static double ratioTarget(Workload w) {
    return w.needsTeacher() ? 0.9 : 1.0;
  }

  /** One workload's figures. */
  record Row(
      Workload workload,
      double taqtirEpoch,
      double torchEpoch,
      double taqtirFirst,
      double torchFirst,
      double taqtirRss,
      double torchRss,
      double taqtirAcc,
      double torchAcc,
      double taqtirLoss,
      double torchLoss,
      double pairedRatio) {

    /**
     * The Taqtir/PyTorch time ratio: the median over rounds of each round's ratio (both stacks of a
     * round run back to back, so a slow spell of the machine hits both sides of a ratio).
     */
    double ratio() {
      return pairedRatio;
    }

    /** The ratio of the two medians, for comparison with {@link #ratio()}. */
    double ratioOfMedians() {
      return taqtirEpoch / torchEpoch;
    }

    double accuracyGapPoints() {
      return 100 * Math.abs(taqtirAcc - torchAcc);
    }

    boolean meets() {
      return ratio() <= ratioTarget(workload)
          && taqtirRss <= RSS_TARGET_MB
          && taqtirFirst <= FIRST_EPOCH_TARGET * taqtirEpoch
          && accuracyGapPoints() <= ACCURACY_TARGET_POINTS;
    }
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Workload w : workloads) {
      List<Measurement> t = of(w, "taqtir");
      List<Measurement> p = of(w, "pytorch");
      if (t.isEmpty() || p.isEmpty()) {
        continue;
      }
      rows.add(
          new Row(
              w,
              Measurement.median(t, Measurement::steadyEpoch),
              Measurement.median(p, Measurement::steadyEpoch),
              Measurement.median(t, Measurement::firstEpoch),
              Measurement.median(p, Measurement::firstEpoch),
              t.stream().mapToDouble(Measurement::peakRssMb).max().orElseThrow(),
              p.stream().mapToDouble(Measurement::peakRssMb).max().orElseThrow(),
              Measurement.median(t, Measurement::testAccuracy),
              Measurement.median(p, Measurement::testAccuracy),
              t.get(0).firstLoss(),
              p.get(0).firstLoss(),
              pairedRatio(t, p)));
    }
    return rows;
  }

  private static double pairedRatio(List<Measurement> taqtir, List<Measurement> torch) {
    List<Double> ratios = new ArrayList<>();
    for (Measurement t : taqtir) {
      for (Measurement p : torch) {
        if (p.round() == t.round()) {
          ratios.add(t.steadyEpoch() / p.steadyEpoch());
        }
      }
    }
    return Measurement.median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private List<Measurement> of(Workload w, String stack) {
    return all.stream()
        .filter(m -> m.workload().equals(w.name()) && m.stack().equals(stack))
        .toList();
  }

  /** The Markdown table (also printed). */
  String table() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Batch %d, %d epochs per run. s/epoch: the median of epochs 2..%d of a run, then the"
                + " median over %d interleaved rounds; ratio: the median over rounds of each"
                + " round's Taqtir/PyTorch ratio. PyTorch %s.%n%n",
            batch,
            epochs,
            epochs,
            rounds,
            torch));
    s.append(
        "| workload | Taqtir s/epoch | PyTorch s/epoch | ratio (target) | first epoch ÷ steady"
            + " (Taqtir / PyTorch) | peak RSS MB (Taqtir / PyTorch) | test acc % (Taqtir /"
            + " PyTorch) | epoch-1 loss (Taqtir / PyTorch) | targets |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows()) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f | %.3f | %.2f (≤ %.1f) | %.2f / %.2f | %.0f / %.0f | %.2f / %.2f |"
                  + " %.5f / %.5f | %s |%n",
              r.workload().name(),
              r.taqtirEpoch(),
              r.torchEpoch(),
              r.ratio(),
              ratioTarget(r.workload()),
              r.taqtirFirst() / r.taqtirEpoch(),
              r.torchFirst() / r.torchEpoch(),
              r.taqtirRss(),
              r.torchRss(),
              100 * r.taqtirAcc(),
              100 * r.torchAcc(),
              r.taqtirLoss(),
              r.torchLoss(),
              verdict(r)));
    }
    return s.toString();
  }

  private static String verdict(Row r) {
    if (r.meets()) {
      return "met";
    }
    List<String> missed = new ArrayList<>();
    if (r.ratio() > ratioTarget(r.workload())) {
      missed.add("time");
    }
    if (r.taqtirRss() > RSS_TARGET_MB) {
      missed.add("RSS");
    }
    if (r.taqtirFirst() > FIRST_EPOCH_TARGET * r.taqtirEpoch()) {
      missed.add("first epoch");
    }
    if (r.accuracyGapPoints() > ACCURACY_TARGET_POINTS) {
      missed.add("accuracy");
    }
    return "missed: " + String.join(", ", missed);
  }

  void write(Path dir) throws IOException {
    PeerBench.writeString(dir.resolve("results.md"), table());
    StringBuilder csv =
        new StringBuilder(
            "workload,taqtir_epoch_s,pytorch_epoch_s,ratio,ratio_of_medians,ratio_target,"
                + "taqtir_first_s,"
                + "pytorch_first_s,taqtir_peak_rss_mb,pytorch_peak_rss_mb,taqtir_test_acc,"
                + "pytorch_test_acc,taqtir_epoch1_loss,pytorch_epoch1_loss\n");
    for (Row r : rows()) {
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%.4f,%.4f,%.4f,%.4f,%.1f,%.4f,%.4f,%.1f,%.1f,%.4f,%.4f,%.6f,%.6f%n",
              r.workload().name(),
              r.taqtirEpoch(),
              r.torchEpoch(),
              r.ratio(),
              r.ratioOfMedians(),
              ratioTarget(r.workload()),
              r.taqtirFirst(),
              r.torchFirst(),
              r.taqtirRss(),
              r.torchRss(),
              r.taqtirAcc(),
              r.torchAcc(),
              r.taqtirLoss(),
              r.torchLoss()));
    }
    PeerBench.writeString(dir.resolve("results.csv"), csv.toString());
    StringBuilder rounds =
        new StringBuilder(
            "workload,stack,round,epoch_seconds,epoch1_loss,test_acc,peak_rss_mb,process_s\n");
    for (Measurement m : all) {
      StringBuilder secs = new StringBuilder();
      for (double v : m.epochSeconds()) {
        secs.append(secs.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6f", v));
      }
      rounds.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%d,%s,%.6f,%.4f,%.1f,%.2f%n",
              m.workload(),
              m.stack(),
              m.round(),
              secs,
              m.firstLoss(),
              m.testAccuracy(),
              m.peakRssMb(),
              m.wallSeconds()));
    }
    PeerBench.writeString(dir.resolve("rounds.csv"), rounds.toString());
    plot(dir.resolve("epoch-time.png"));
  }

  private void plot(Path file) throws IOException {
    List<Row> rows = rows();
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(480)
            .title("Seconds per epoch (steady state, median over rounds; lower is better)")
            .xAxisTitle("workload")
            .yAxisTitle("s / epoch")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    List<String> names = rows.stream().map(r -> r.workload().name()).toList();
    chart.addSeries("Taqtir", names, rows.stream().map(Row::taqtirEpoch).toList());
    chart.addSeries("PyTorch", names, rows.stream().map(Row::torchEpoch).toList());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);

    CategoryChart ratio =
        new CategoryChartBuilder()
            .width(900)
            .height(420)
            .title(
                "Taqtir / PyTorch epoch time (median of per-round ratios; below the target is met)")
            .xAxisTitle("workload")
            .yAxisTitle("ratio")
            .build();
    ratio.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    ratio.addSeries("Taqtir / PyTorch", names, rows.stream().map(Row::ratio).toList());
    ratio.addSeries("target", names, rows.stream().map(r -> ratioTarget(r.workload())).toList());
    BitmapEncoder.saveBitmap(
        ratio, file.resolveSibling("ratio.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * Reads the measurements a run wrote to {@code rounds.csv}, so a report can be drawn again.
   *
   * @param file a {@code rounds.csv}
   * @return the measurements in file order
   */
  static List<Measurement> readRounds(Path file) throws IOException {
    List<Measurement> out = new ArrayList<>();
    for (String[] r : PeerBench.csv(file)) {
      String[] parts = r[3].trim().split(" ");
      double[] secs = new double[parts.length];
      for (int i = 0; i < secs.length; i++) {
        secs[i] = Double.parseDouble(parts[i]);
      }
      out.add(
          new Measurement(
              r[0],
              r[1],
              Integer.parseInt(r[2]),
              secs,
              Double.parseDouble(r[4]),
              Double.parseDouble(r[5]),
              Double.parseDouble(r[6]),
              Double.parseDouble(r[7])));
    }
    return out;
  }
}
