package org.taqtir.text.task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.taqtir.core.eval.loss.Targets;
import org.taqtir.core.study.StudyResult;
import org.taqtir.report.Html;
import org.taqtir.report.StudyCharts;

/**
 * The Distillation Loss Statement of a language-modelling study ({@code loss-statement.md} and
 * {@code .html}, with its charts): for every student, in sentences generated from the report's
 * numbers, what it kept and what it lost against the teacher and against the label-only student —
 * generalisation to each set, imitation, calibration and confidence on unknown text, rare words,
 * typos, repeatability across seeds, degeneration and error accumulation, the teacher as a fallback
 * and as a verifier of drafts, the preservation targets, and what was gained; then the generated
 * samples side by side, and the study's provenance. Only what was measured is said; what this study
 * did not measure is named as such.
 */
final class LmStatement {

  private LmStatement() {}

  /**
   * Writes the statement and its charts.
   *
   * @param result the study's result
   * @param r its report
   * @param plots whether to draw the charts
   * @return the files written
   */
  static List<Path> write(StudyResult result, LmReport r, boolean plots) {
    Path dir = result.outputDir();
    List<Path> files = new ArrayList<>();
    List<String> charts = new ArrayList<>();
    if (plots) {
      charts.add(save(bpcChart(r), dir.resolve("statement-bpc.png"), files));
      CategoryChart words = wordsChart(r);
      if (words != null) {
        charts.add(save(words, dir.resolve("statement-rare-words.png"), files));
      }
      XYChart cascade = cascadeChart(r);
      if (cascade != null) {
        charts.add(save(cascade, dir.resolve("statement-cascade.png"), files));
      }
    }
    String md = markdown(result, r, charts);
    files.add(LmRenderer.write(dir.resolve("loss-statement.md"), md));
    files.add(
        LmRenderer.write(
            dir.resolve("loss-statement.html"),
            Html.of("Distillation Loss Statement: " + result.study().name(), md)));
    return files;
  }

  static String markdown(StudyResult result, LmReport r, List<String> charts) {
    LmReport.Row teacher =
        r.rows().stream().filter(x -> x.method().isEmpty()).findFirst().orElse(null);
    StringBuilder sb =
        new StringBuilder("# Distillation Loss Statement: " + result.study().name() + "\n\n");
    if (teacher != null && result.teacher() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "Teacher: %s, %,d parameters, %.3f bits per character on test. ",
              result.teacher().description(),
              teacher.parameters(),
              teacher.bpc().getOrDefault("test", Double.NaN)));
    }
    sb.append(
        "Every student is compared with the teacher and with the label-only student of the same"
            + " architecture (trained on the text alone, same seeds); figures are means over seeds"
            + " (± the standard deviation where there are several); intervals are 95 % paired"
            + " bootstrap intervals over whole test windows, and a difference counts only when its"
            + " interval excludes zero. Lower bits per character is better.\n\n");
    var targets = r.targetResults();
    for (LmReport.Row row : r.rows()) {
      if (row != teacher) {
        section(sb, r, row, teacher, targets.get(row));
      }
    }
    if (!charts.isEmpty()) {
      sb.append("## Charts\n\n");
      for (String c : charts) {
        sb.append("![").append(c).append("](").append(c).append(")\n\n");
      }
    }
    sb.append(
        LmRenderer.samples(r)
            .replaceFirst("^# ", "## ")
            .replaceAll("(?m)^## Prompt", "### Prompt"));
    sb.append("## Behind these numbers\n\n");
    sb.append("Resolved config: `study.resolved.yaml`; data hash `")
        .append(result.dataHash(), 0, Math.min(16, result.dataHash().length()))
        .append("…`");
    if (result.teacher() != null) {
      String fp = result.teacher().fingerprint();
      sb.append("; teacher fingerprint `").append(fp, 0, Math.min(16, fp.length())).append("…`");
    }
    sb.append(". Every figure is in `probes.csv` and `results.csv`.");
    List<String> missing = new ArrayList<>();
    if (r.rows().stream().noneMatch(x -> x.measures().containsKey("facts/accuracy"))) {
      missing.add("the planted-error (inherited facts) probe, which needs the `facts` corpus");
    }
    if (r.rows().stream().noneMatch(x -> x.measures().containsKey("test/omitted_words/bpc"))) {
      missing.add("the omitted-pattern probe (`data.omit`)");
    }
    if (!missing.isEmpty()) {
      sb.append(" Not measured by this report: ")
          .append(String.join(", and ", missing))
          .append("; absence of a finding there is not evidence of no loss.");
    }
    sb.append('\n');
    return sb.toString();
  }

  /**
   * The label-only twin of a distilled student that measured {@code key}: the row of the same
   * student without a comparison with the baseline; empty for the twin itself and when there is
   * none.
   */
  private static java.util.Optional<LmReport.Row> twin(LmReport r, LmReport.Row row, String key) {
    if (!row.measures().containsKey("test/delta_bpc_vs_baseline")) {
      return java.util.Optional.empty();
    }
    return r.rows().stream()
        .filter(
            x ->
                x.student().equals(row.student())
                    && !x.method().isEmpty()
                    && !x.measures().containsKey("test/delta_bpc_vs_baseline")
                    && x.measures().containsKey(key))
        .findFirst();
  }

  /** The twin's value of a share, as a clause ("(the label-only student: 43.0 %)"), or empty. */
  private static String baselineShare(LmReport r, LmReport.Row row, String key) {
    return twin(r, row, key)
        .map(
            x ->
                String.format(
                    Locale.ROOT, " (the label-only student: %.1f %%)", 100 * x.measures().get(key)))
        .orElse("");
  }

  /** The twin's two style figures, as a clause, or empty. */
  private static String baselineStyle(LmReport r, LmReport.Row row) {
    return twin(r, row, "style/bpc_teacher_text")
        .map(
            x ->
                String.format(
                    Locale.ROOT,
                    " (the label-only student: %.3f and %.3f)",
                    x.measures().get("style/bpc_teacher_text"),
                    x.measures().get("style/bpc_real_text")))
        .orElse("");
  }

  private static void section(
      StringBuilder sb,
      LmReport r,
      LmReport.Row row,
      LmReport.Row teacher,
      List<Targets.Result> targets) {
    Map<String, Double> m = row.measures();
    Map<String, Double> t = teacher == null ? Map.of() : teacher.measures();
    boolean baseline = !m.containsKey("test/delta_bpc_vs_baseline");
    // the label-only twin: the row of this student that the others are compared with
    boolean twin =
        baseline
            && r.rows().stream()
                .anyMatch(
                    x ->
                        x.student().equals(row.student())
                            && x.measures().containsKey("test/delta_bpc_vs_baseline"));
    sb.append("## ").append(row.student()).append(" / ").append(row.method());
    sb.append(twin ? " (the label-only baseline)" : "").append("\n\n");
    // generalisation, set by set
    List<String> sets = r.sets().stream().filter(s -> !TextData.isTypoSet(s)).toList();
    StringBuilder gen = new StringBuilder();
    for (String s : sets) {
      Double v = row.bpc().get(s);
      Double tv = teacher == null ? null : teacher.bpc().get(s);
      if (v == null || v.isNaN()) {
        continue;
      }
      gen.append(gen.isEmpty() ? "" : "; ")
          .append(setName(s))
          .append(' ')
          .append(LmRenderer.pm(row.bpc(), row.bpcStd(), s))
          .append(
              tv == null
                  ? ""
                  : String.format(Locale.ROOT, " (teacher %.3f, gap %+.3f)", tv, v - tv));
    }
    sb.append("**Generalisation** (bits per character): ").append(gen).append(".\n\n");
    if (!baseline) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Against the label-only student**: Δ test %+.3f ± %.3f, 95 %% interval %+.3f to %+.3f: %s.\n\n",
              m.get("test/delta_bpc_vs_baseline"),
              nz(row.measuresStd().get("test/delta_bpc_vs_baseline")),
              m.get("test/delta_bpc_vs_baseline_lo"),
              m.get("test/delta_bpc_vs_baseline_hi"),
              m.get("test/delta_bpc_vs_baseline_hi") < 0
                  ? "**better than training on the text alone**"
                  : m.get("test/delta_bpc_vs_baseline_lo") > 0
                      ? "**worse than training on the text alone**"
                      : "no significant difference"));
    }
    if (m.containsKey("test/agreement")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Imitation**: the same next token as the teacher at %.1f %% of test positions;"
                  + " KL(teacher ‖ student) %.3f and KL(student ‖ teacher) %.3f nats per token.\n\n",
              100 * m.get("test/agreement"),
              m.get("test/kl_teacher_student"),
              m.get("test/kl_student_teacher")));
    }
    if (m.containsKey("style/bpc_teacher_text")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Style or data**: after the same test prompts it needs %.3f bits per character on"
                  + " text the teacher wrote and %.3f on the real text%s.\n\n",
              m.get("style/bpc_teacher_text"),
              m.get("style/bpc_real_text"),
              baselineStyle(r, row)));
    }
    if (m.containsKey("test/errors/inherited")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Inherited errors**: where the teacher's next token is wrong (%.1f %% of test"
                  + " positions), it predicts the teacher's wrong token at %.1f %% of them and the"
                  + " right one at %.1f %%%s.\n\n",
              100 * m.get("test/errors/teacher_wrong"),
              100 * m.get("test/errors/inherited"),
              100 * m.get("test/errors/corrected"),
              baselineShare(r, row, "test/errors/inherited")));
    }
    if (m.containsKey("facts/accuracy")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Inherited facts** (planted-error probe): it answers %.1f %% of the facts right",
              100 * m.get("facts/accuracy")));
      Double inherited = m.get("facts/inherited");
      if (inherited != null) {
        Double confInherited = m.get("facts/confidence_inherited");
        sb.append(
            String.format(
                Locale.ROOT,
                "; of the facts the teacher answers wrongly (%.1f %%), it repeats the teacher's"
                    + " wrong answer for %.1f %%%s%s and gives the true value for %.1f %%",
                100 * m.get("facts/teacher_wrong"),
                100 * inherited,
                baselineShare(r, row, "facts/inherited"),
                confInherited == null
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        ", with a mean confidence of %.2f%s",
                        confInherited,
                        m.containsKey("facts/confidence_right")
                            ? String.format(
                                Locale.ROOT,
                                " (%.2f on the facts it gets right)",
                                m.get("facts/confidence_right"))
                            : ""),
                100 * m.get("facts/corrected")));
        if (confInherited != null && confInherited > 0.8 && inherited > 0.5) {
          sb.append(": **it states the teacher's wrong facts, confidently**");
        }
      } else if (m.containsKey("facts/planted_chosen")) {
        sb.append(
            String.format(
                Locale.ROOT,
                "; it answers with the planted wrong value for %.1f %% of the planted facts",
                100 * m.get("facts/planted_chosen")));
      }
      sb.append(".\n\n");
    }
    if (m.containsKey("facts_gen/well_formed")) {
      Double planted = m.get("facts_gen/planted");
      sb.append(
          String.format(
              Locale.ROOT,
              "**Facts it writes itself**: of the sentences it writes, %.1f %% are well formed,"
                  + " %.1f %% state a true fact and %.1f %% a false one about a person of the"
                  + " corpus%s%s.\n\n",
              100 * m.get("facts_gen/well_formed"),
              100 * m.get("facts_gen/true"),
              100 * m.get("facts_gen/false"),
              planted == null
                  ? ""
                  : String.format(
                      Locale.ROOT, " (%.1f %% the teacher's planted value)", 100 * planted),
              t.containsKey("facts_gen/false")
                  ? String.format(
                      Locale.ROOT,
                      "; the teacher: %.1f %% true, %.1f %% false",
                      100 * t.get("facts_gen/true"),
                      100 * t.get("facts_gen/false"))
                  : ""));
    }
    if (m.containsKey("test/ece")) {
      double ece = m.get("test/ece");
      Double te = t.get("test/ece");
      sb.append(
          String.format(
              Locale.ROOT,
              "**Calibration**: ECE %.3f%s, %.3f after a temperature τ = %.2f fitted on validation%s.",
              ece,
              te == null ? "" : String.format(Locale.ROOT, " (teacher %.3f)", te),
              m.get("test/ece_scaled"),
              m.get("calibration/temperature"),
              te != null && ece > te + 0.02 ? ": **over-confident** before scaling" : ""));
      Double oodConf = m.get("out_of_domain/confidence");
      Double oodAcc = row.accuracy().get("out_of_domain");
      if (oodConf != null && oodAcc != null && !oodAcc.isNaN()) {
        Double tConf = t.get("out_of_domain/confidence");
        Double tAcc = teacher == null ? null : teacher.accuracy().get("out_of_domain");
        sb.append(
            String.format(
                Locale.ROOT,
                " On out-of-domain text its mean confidence is %.3f for an accuracy of %.3f%s%s.",
                oodConf,
                oodAcc,
                tConf == null || tAcc == null
                    ? ""
                    : String.format(Locale.ROOT, " (teacher %.3f for %.3f)", tConf, tAcc),
                oodConf - oodAcc > 0.05
                    ? ": **more confident than right on text it does not know**"
                    : ""));
      }
      sb.append("\n\n");
    }
    String worst = WordFrequency.worstBucket(m, t);
    if (worst != null) {
      double worstGap = m.get(WordFrequency.bpcKey(worst)) - t.get(WordFrequency.bpcKey(worst));
      sb.append(
          String.format(
              Locale.ROOT,
              "**Where it loses most**: on %s words (%s), %.3f bits per character above the teacher"
                  + " (%.1f %% of test positions)%s.\n\n",
              worst,
              WordFrequency.range(worst),
              worstGap,
              100 * m.getOrDefault("test/words_" + worst + "/share", Double.NaN),
              m.containsKey("test/words_frequent/bpc") && t.containsKey("test/words_frequent/bpc")
                  ? String.format(
                      Locale.ROOT,
                      "; on frequent words the gap is %+.3f",
                      m.get("test/words_frequent/bpc") - t.get("test/words_frequent/bpc"))
                  : ""));
    }
    Double omitted = m.get("test/omitted_words/bpc");
    if (omitted != null) {
      Double to = t.get("test/omitted_words/bpc");
      sb.append(
          String.format(
              Locale.ROOT,
              "**Omitted pattern**: inside the words whose lines it never saw in training, %.3f bits"
                  + " per character on test%s.\n\n",
              omitted,
              to == null
                  ? ""
                  : String.format(
                      Locale.ROOT,
                      " (the teacher, which saw them, %.3f; gap %+.3f)",
                      to,
                      omitted - to)));
    }
    String worstTypos =
        r.sets().stream().filter(TextData::isTypoSet).reduce((a, b) -> b).orElse(null);
    if (worstTypos != null && teacher != null) {
      double rise = row.bpc().get(worstTypos) - row.bpc().get("test");
      double teacherRise = teacher.bpc().get(worstTypos) - teacher.bpc().get("test");
      sb.append(
          String.format(
              Locale.ROOT,
              "**Typos** (%s %% of letters replaced): +%.3f bits per character, the teacher +%.3f.\n\n",
              worstTypos.replace("test_typos_", ""),
              rise,
              teacherRise));
    }
    if (m.containsKey("test/churn")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Repeatability**: %.1f %% of its next-token predictions change between two seeds.\n\n",
              100 * m.get("test/churn")));
    }
    if (m.containsKey("generation/seq_rep_4")) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Generation**: seq-rep-4 %.3f, looping %.2f (teacher %.3f, %.2f)",
              m.get("generation/seq_rep_4"),
              m.get("generation/looping"),
              t.getOrDefault("generation/seq_rep_4", Double.NaN),
              t.getOrDefault("generation/looping", Double.NaN)));
      if (m.containsKey("exposure/excess")) {
        sb.append(
            String.format(
                Locale.ROOT,
                "; KL to the teacher along its own continuations %.3f against %.3f along the"
                    + " teacher's (excess %+.2f)",
                m.get("exposure/kl_own_prefix"),
                m.get("exposure/kl_teacher_prefix"),
                m.get("exposure/excess")));
      }
      sb.append(".\n\n");
    }
    if (m.containsKey("test/spec_acceptance")) {
      double a = m.get("test/spec_acceptance");
      sb.append(
          String.format(
              Locale.ROOT,
              "**Teacher fallback**: deferring its least confident 25 %% of positions to the teacher"
                  + " (threshold chosen on validation; %.1f %% deferred on test) gives %.3f bits per"
                  + " character, half of them %.3f. As a draft model for speculative decoding, the"
                  + " teacher accepts %.1f %% of its sampled tokens (%.2f tokens per teacher call"
                  + " with 4 drafts).\n\n",
              100 * m.get("test/cascade_25/deferral"),
              m.get("test/cascade_25/bpc"),
              m.get("test/cascade_50/bpc"),
              100 * a,
              Probes.tokensPerCall(a)));
    }
    if (teacher != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "**Gained**: %,d parameters, %.1f× fewer than the teacher",
              row.parameters(),
              (double) teacher.parameters() / row.parameters()));
      if (Double.isFinite(row.tokensPerSecond()) && Double.isFinite(teacher.tokensPerSecond())) {
        sb.append(
            String.format(
                Locale.ROOT,
                "; %.0f generated tokens per second at batch 1, %.1f× the teacher's",
                row.tokensPerSecond(),
                row.tokensPerSecond() / teacher.tokensPerSecond()));
      }
      sb.append(".\n\n");
    }
    if (targets != null && !targets.isEmpty()) {
      sb.append("**Preservation targets**:\n\n");
      for (Targets.Result x : targets) {
        sb.append("- `")
            .append(x.target().text())
            .append("`: ")
            .append(
                Double.isNaN(x.value())
                    ? "not measured in this study"
                    : String.format(
                        Locale.ROOT,
                        "%s (value %.4f, bound %.4f)",
                        x.met() ? "met" : "**NOT met**",
                        x.value(),
                        x.bound()))
            .append('\n');
      }
      sb.append('\n');
    }
  }

  private static String setName(String set) {
    return switch (set) {
      case "validation" -> "validation";
      case "test" -> "test";
      case "held_out" -> "held-out works";
      case "out_of_domain" -> "out-of-domain text";
      default -> set;
    };
  }

  private static double nz(Double v) {
    return v == null || v.isNaN() ? 0 : v;
  }

  private static String label(LmReport.Row row) {
    return row.method().isEmpty() ? "teacher" : row.student() + " / " + row.method();
  }

  private static CategoryChart bpcChart(LmReport r) {
    List<String> sets = r.sets().stream().filter(s -> !TextData.isTypoSet(s)).toList();
    return bars(
        r,
        "bits per character by set (lower is better)",
        "set",
        sets,
        (row, set) -> {
          double v = row.bpc().getOrDefault(set, Double.NaN);
          return Double.isNaN(v) ? 0 : v;
        });
  }

  private static CategoryChart wordsChart(LmReport r) {
    if (r.rows().stream().noneMatch(x -> x.measures().containsKey("test/words_other/share"))) {
      return null;
    }
    return bars(
        r,
        "test bits per character by how often the word occurs in training",
        "word frequency in the training text",
        WordFrequency.BUCKETS,
        (row, b) -> row.measures().getOrDefault(WordFrequency.bpcKey(b), 0.0));
  }

  /** Grouped bars of bits per character, one series per model. */
  private static CategoryChart bars(
      LmReport r,
      String title,
      String xTitle,
      List<String> categories,
      java.util.function.BiFunction<LmReport.Row, String, Double> value) {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(900)
            .height(480)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle("bits / char")
            .build();
    legendBelow(c.getStyler());
    for (LmReport.Row row : r.rows()) {
      c.addSeries(
          label(row), categories, categories.stream().map(x -> value.apply(row, x)).toList());
    }
    return c;
  }

  private static void legendBelow(Styler styler) {
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
  }

  private static XYChart cascadeChart(LmReport r) {
    LmReport.Row teacher =
        r.rows().stream().filter(x -> x.method().isEmpty()).findFirst().orElse(null);
    if (teacher == null
        || r.rows().stream().noneMatch(x -> x.measures().containsKey("test/cascade_10/bpc"))) {
      return null;
    }
    XYChart c =
        new XYChartBuilder()
            .width(900)
            .height(480)
            .title("token-level cascade: test bits per character vs share deferred")
            .xAxisTitle("share of test positions deferred to the teacher")
            .yAxisTitle("bits / char")
            .build();
    legendBelow(c.getStyler());
    for (LmReport.Row row : r.rows()) {
      if (row == teacher || !row.measures().containsKey("test/cascade_10/bpc")) {
        continue;
      }
      double[] x = new double[Probes.DEFER_SHARES.length + 2];
      double[] y = new double[x.length];
      x[0] = 0;
      y[0] = row.bpc().get("test");
      for (int i = 0; i < Probes.DEFER_SHARES.length; i++) {
        String key = "test/cascade_" + Math.round(100 * Probes.DEFER_SHARES[i]) + "/";
        x[i + 1] = row.measures().get(key + "deferral");
        y[i + 1] = row.measures().get(key + "bpc");
      }
      x[x.length - 1] = 1;
      y[y.length - 1] = teacher.bpc().get("test");
      c.addSeries(label(row), x, y);
    }
    return c;
  }

  private static String save(
      org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file, List<Path> files) {
    files.add(StudyCharts.savePng(chart, file));
    return file.getFileName().toString();
  }
}
