package org.taqtir.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taqtir.core.eval.loss.LossReport;
import org.taqtir.core.eval.loss.MethodEvaluation;
import org.taqtir.core.study.StudyResult;

/**
 * Writes the Distillation Loss Statement of a study (Markdown and HTML) with its charts. Every
 * sentence is generated from a computed number: what was preserved, what was lost (with intervals
 * and the rule used), where the student must not be trusted, the recommended deferral threshold,
 * the size and latency gained, and the config and seeds behind it.
 */
public final class LossStatement {

  private LossStatement() {}

  /**
   * Writes {@code loss-statement.md}, {@code loss-statement.html} and the charts into a directory.
   *
   * @param result the study result (its {@link StudyResult#loss()} must be set)
   * @param classNames display names of the classes
   * @param dir the study's run directory
   * @return the Markdown file
   */
  public static Path write(StudyResult result, List<String> classNames, Path dir) {
    LossReport r = result.loss();
    List<String> charts = new ArrayList<>();
    Map<String, double[][]> rel = new LinkedHashMap<>();
    rel.put("teacher", r.teacherReliability());
    for (MethodEvaluation m : r.methods()) {
      if (m.reliability() != null) {
        rel.put(m.student() + " / " + m.method(), m.reliability());
      }
    }
    charts.add(
        save(
            LossCharts.reliability(result.study().name() + ": reliability (test, first seed)", rel),
            dir.resolve("reliability.png")));
    List<String> kinds = new ArrayList<>();
    for (String k : r.teacherMetrics().keySet()) {
      if (k.startsWith("corruption.") && k.endsWith(".acc")) {
        kinds.add(k.substring("corruption.".length(), k.length() - ".acc".length()));
      }
    }
    java.util.Collections.sort(kinds);
    if (!kinds.isEmpty()) {
      Map<String, double[]> acc = new LinkedHashMap<>();
      acc.put("teacher", corruptionAcc(r.teacherMetrics()::get, kinds));
      for (MethodEvaluation m : r.methods()) {
        acc.put(m.student() + " / " + m.method(), corruptionAcc(m::mean, kinds));
      }
      charts.add(
          save(
              LossCharts.corruptions(
                  result.study().name() + ": accuracy under corruption (mean of 3 severities)",
                  kinds,
                  acc),
              dir.resolve("corruptions.png")));
    }
    for (MethodEvaluation m : r.methods()) {
      String tag = safe(m.student() + "-" + m.method());
      if (m.delta() != null) {
        charts.add(
            save(
                LossCharts.perClassDelta(
                    m.student() + " / " + m.method() + ": per-class Δ vs " + r.baselineMethod(),
                    classNames,
                    scale(m.delta().delta()),
                    scale(m.delta().lo()),
                    scale(m.delta().hi())),
                dir.resolve("per-class-" + tag + ".png")));
      }
      if (m.cascade() != null) {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        double[] rate = new double[m.cascade().size()];
        double[] acc = new double[m.cascade().size()];
        for (int i = 0; i < rate.length; i++) {
          rate[i] = m.cascade().get(i).deferral();
          acc[i] = 100 * m.cascade().get(i).accuracy();
        }
        curves.put(
            r.rule().name().toLowerCase(Locale.ROOT) + " deferral", new double[][] {rate, acc});
        curves.put("oracle", new double[][] {m.oracle()[0], scale(m.oracle()[1])});
        double s0 = acc[0];
        double t1 = 100 * r.teacherMetrics().get("acc");
        curves.put("random", new double[][] {{0, 1}, {s0, t1}});
        charts.add(
            save(
                LossCharts.cascade(
                    m.student() + " / " + m.method() + ": cascade with teacher fallback (test)",
                    curves,
                    new double[] {m.chosen().deferral(), 100 * m.chosen().accuracy()}),
                dir.resolve("cascade-" + tag + ".png")));
      }
    }
    String md =
        LossStatementText.markdown(
            new LossStatementText.Header(
                result.study().name(),
                result.study().seeds(),
                result.dataHash(),
                result.teacher() == null ? "?" : result.teacher().description(),
                result.teacher() == null ? "" : result.teacher().fingerprint()),
            r,
            classNames,
            charts);
    Path file = dir.resolve("loss-statement.md");
    try {
      Files.writeString(file, md);
      Files.writeString(dir.resolve("loss-statement.html"), Html.of(result.study().name(), md));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static double[] corruptionAcc(
      java.util.function.Function<String, Double> metric, List<String> kinds) {
    double[] out = new double[kinds.size()];
    for (int i = 0; i < out.length; i++) {
      Double v = metric.apply("corruption." + kinds.get(i) + ".acc");
      out[i] = v == null ? Double.NaN : 100 * v;
    }
    return out;
  }

  private static String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
    return StudyCharts.savePng(chart, file).getFileName().toString();
  }

  private static double[] scale(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = 100 * v[i];
    }
    return out;
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
