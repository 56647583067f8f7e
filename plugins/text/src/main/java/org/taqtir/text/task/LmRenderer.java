package org.taqtir.text.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyRenderer;
import org.taqtir.core.study.StudyResult;
import org.taqtir.report.Html;
import org.taqtir.report.StudyCharts;

/**
 * The report of a language-modelling study, from its data alone: {@code results.md} and {@code
 * results.csv} (bits per character per set and model, mean ± std over seeds, the student-minus-
 * teacher gap, size, generation speed), {@code samples.md} (generated text beside its prompt) and
 * {@code learning-curves.png} (validation bits per character per epoch).
 */
public final class LmRenderer implements StudyRenderer {

  @Override
  public String task() {
    return LanguageModellingTask.ID;
  }

  @Override
  public Rendered render(StudyResult result, Consumer<String> out) {
    Path dir = result.outputDir();
    List<Path> files = new ArrayList<>();
    if (result.report() instanceof LmReport report) {
      String table = table(report);
      files.add(write(dir.resolve("results.md"), "# " + result.study().name() + "\n\n" + table));
      files.add(write(dir.resolve("results.csv"), csv(report)));
      String samples = samples(report);
      files.add(write(dir.resolve("samples.md"), samples));
      files.add(
          write(
              dir.resolve("samples.html"), Html.of(result.study().name() + ": samples", samples)));
      out.accept("");
      out.accept(table);
      out.accept(
          "results: " + dir.resolve("results.md") + "; samples: " + dir.resolve("samples.md"));
    }
    if (result.study().output().plots()) {
      Path curves = StudyCharts.savePng(curves(result), dir.resolve("learning-curves.png"));
      files.add(curves);
      out.accept("plots: " + curves);
    }
    return new Rendered(files, List.of());
  }

  /** The results table in Markdown. */
  static String table(LmReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "Bits per character (mean ± std over seeds; lower is better), and the student's gap to the"
            + " teacher on each set. Validation selects each run's epoch; the other sets are read"
            + " once.\n\n");
    sb.append("| model | method | seeds |");
    for (String s : r.sets()) {
      sb.append(' ').append(s).append(" |");
    }
    for (String s : r.sets()) {
      sb.append(" gap ").append(s).append(" |");
    }
    sb.append(" params | gen tok/s |\n|---|---|---:|");
    sb.append("---:|".repeat(2 * r.sets().size() + 2)).append('\n');
    LmReport.Row teacher =
        r.rows().stream().filter(x -> x.method().isEmpty()).findFirst().orElse(null);
    for (LmReport.Row row : r.rows()) {
      sb.append("| ").append(row.student()).append(" | ").append(row.method()).append(" | ");
      sb.append(row.seeds()).append(" |");
      for (String s : r.sets()) {
        Double m = row.bpc().get(s);
        Double d = row.bpcStd().get(s);
        sb.append(' ')
            .append(
                m == null || m.isNaN()
                    ? "—"
                    : d == null || d.isNaN()
                        ? String.format(Locale.ROOT, "%.3f", m)
                        : String.format(Locale.ROOT, "%.3f ± %.3f", m, d))
            .append(" |");
      }
      for (String s : r.sets()) {
        Double m = row.bpc().get(s);
        Double t = teacher == null ? null : teacher.bpc().get(s);
        sb.append(' ')
            .append(
                row == teacher || m == null || t == null || m.isNaN() || t.isNaN()
                    ? ""
                    : String.format(Locale.ROOT, "%+.3f", m - t))
            .append(" |");
      }
      sb.append(
          String.format(Locale.ROOT, " %,d | %.0f |%n", row.parameters(), row.tokensPerSecond()));
    }
    return sb.toString();
  }

  private static String csv(LmReport r) {
    StringBuilder sb = new StringBuilder("model,method,seeds,set,bpc_mean,bpc_std,acc_mean\n");
    for (LmReport.Row row : r.rows()) {
      for (String s : r.sets()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%s,%s,%d,%s,%.6f,%.6f,%.6f%n",
                row.student(),
                row.method(),
                row.seeds(),
                s,
                row.bpc().getOrDefault(s, Double.NaN),
                row.bpcStd().getOrDefault(s, Double.NaN),
                row.accuracy().getOrDefault(s, Double.NaN)));
      }
    }
    return sb.toString();
  }

  /**
   * Generated samples side by side: for each prompt, every model's continuation (teacher first),
   * greedy and sampled.
   */
  static String samples(LmReport r) {
    StringBuilder sb = new StringBuilder("# Generated samples\n\n");
    sb.append(
        "Prompts are the first half of test windows; each model continues them for as many tokens"
            + " (greedy: the most likely token each step; sampled: temperature 0.8, seeded). Line"
            + " breaks are shown as ⏎.\n\n");
    List<String> prompts = new ArrayList<>();
    for (LmReport.Row row : r.rows()) {
      for (LmOutputs.Sample s : row.samples()) {
        if (!prompts.contains(s.prompt())) {
          prompts.add(s.prompt());
        }
      }
    }
    for (int i = 0; i < prompts.size(); i++) {
      String prompt = prompts.get(i);
      sb.append("## Prompt ").append(i + 1).append("\n\n> ").append(oneLine(prompt));
      sb.append("\n\n| model | decoding | continuation |\n|---|---|---|\n");
      for (LmReport.Row row : r.rows()) {
        for (LmOutputs.Sample s : row.samples()) {
          if (s.prompt().equals(prompt)) {
            sb.append("| ").append(row.student());
            sb.append(row.method().isEmpty() ? "" : " / " + row.method());
            sb.append(" | ").append(s.decoding()).append(" | ");
            sb.append(cell(s.text())).append(" |\n");
          }
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Text in a Markdown table cell: pipes escaped, one line. */
  static String cell(String s) {
    return oneLine(s).replace("|", "\\|");
  }

  private static String oneLine(String s) {
    return s.replace("`", "'").replace("\n", "⏎");
  }

  private static XYChart curves(StudyResult result) {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(result.study().name() + ": validation bits per character")
            .xAxisTitle("epoch")
            .yAxisTitle("bits / char")
            .build();
    for (RunSummary r : result.runs()) {
      List<EpochMetrics> h = r.result().history();
      if (h.isEmpty()) {
        continue;
      }
      double[] x = new double[h.size()];
      double[] y = new double[h.size()];
      for (int i = 0; i < h.size(); i++) {
        x[i] = h.get(i).epoch() + 1;
        y[i] = h.get(i).extras().getOrDefault("val_bpc", Double.NaN);
      }
      chart.addSeries(r.student() + "/" + r.method() + "/seed" + r.seed(), x, y);
    }
    return chart;
  }

  private static Path write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
