package org.taqtir.text.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * The report of a language-modelling study, from its data alone: {@code results.md}, {@code
 * results.html} (the tables and the samples on one page) and {@code results.csv} (bits per
 * character per set and model, mean ± std over seeds, the student-minus- teacher gap, size,
 * generation speed), {@code samples.md} (generated text beside its prompt) and {@code
 * learning-curves.png} (validation bits per character per epoch).
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
      String probes = targets(report) + probes(report);
      files.add(
          write(
              dir.resolve("results.md"),
              "# " + result.study().name() + "\n\n" + table + "\n" + probes));
      files.add(write(dir.resolve("results.csv"), csv(report)));
      files.add(write(dir.resolve("probes.csv"), probesCsv(report)));
      String samples = samples(report);
      files.add(write(dir.resolve("samples.md"), samples));
      files.add(
          write(
              dir.resolve("samples.html"), Html.of(result.study().name() + ": samples", samples)));
      files.add(
          write(
              dir.resolve("results.html"),
              Html.of(
                  result.study().name(),
                  "# " + result.study().name() + "\n\n" + table + "\n" + probes + "\n" + samples)));
      out.accept("");
      out.accept(table);
      out.accept(probes);
      files.addAll(LmStatement.write(result, report, result.study().output().plots()));
      out.accept(
          "results: "
              + dir.resolve("results.md")
              + "; samples: "
              + dir.resolve("samples.md")
              + "; Distillation Loss Statement: "
              + dir.resolve("loss-statement.md"));
    }
    if (result.study().output().plots()) {
      Path curves = StudyCharts.savePng(curves(result), dir.resolve("learning-curves.png"));
      files.add(curves);
      out.accept("plots: " + curves);
    }
    List<String> missed = new ArrayList<>();
    if (result.report() instanceof LmReport report) {
      report
          .targetResults()
          .forEach(
              (row, results) ->
                  results.stream()
                      .filter(x -> !x.met())
                      .forEach(
                          x ->
                              missed.add(row.student() + "/" + row.method() + ": " + describe(x))));
    }
    return new Rendered(files, missed);
  }

  /** A target's outcome in words: the target, the value and the bound it was held to. */
  private static String describe(org.taqtir.core.eval.loss.Targets.Result x) {
    return Double.isNaN(x.value())
        ? x.target().text() + " (not measured in this study)"
        : String.format(
            Locale.ROOT, "%s (value %.4f, bound %.4f)", x.target().text(), x.value(), x.bound());
  }

  /** The preservation targets of every student, met or not. */
  static String targets(LmReport r) {
    var results = r.targetResults();
    if (results.isEmpty()) {
      return "";
    }
    StringBuilder sb =
        new StringBuilder(
            "\n**Preservation targets** (`evaluation.targets`; relative ones against the"
                + " teacher's value; `fail_on_targets: true` makes the study fail when one is"
                + " missed):\n\n| model | method | target | value | bound | met? |\n"
                + "|---|---|---|---:|---:|---|\n");
    results.forEach(
        (row, list) -> {
          for (var x : list) {
            sb.append(name(row))
                .append(' ')
                .append(x.target().text())
                .append(" | ")
                .append(fmt("%.4f", x.value()))
                .append(" | ")
                .append(fmt("%.4f", x.bound()))
                .append(" | ")
                .append(Double.isNaN(x.value()) ? "not measured" : x.met() ? "met" : "**NOT met**")
                .append(" |\n");
          }
        });
    return sb.toString();
  }

  /** The sets of the main table: the typo sets have their own. */
  private static List<String> mainSets(LmReport r) {
    return r.sets().stream().filter(x -> !TextData.isTypoSet(x)).toList();
  }

  /** The results table in Markdown. */
  static String table(LmReport r) {
    List<String> sets = mainSets(r);
    StringBuilder sb = new StringBuilder();
    sb.append(
        "Bits per character (mean ± std over seeds; lower is better), and the student's gap to the"
            + " teacher on each set. Validation selects each run's epoch; the other sets are read"
            + " once.\n\n");
    sb.append("| model | method | seeds |");
    for (String s : sets) {
      sb.append(' ').append(s).append(" |");
    }
    for (String s : sets) {
      sb.append(" gap ").append(s).append(" |");
    }
    sb.append(" params | gen tok/s |\n|---|---|---:|");
    sb.append("---:|".repeat(2 * sets.size() + 2)).append('\n');
    LmReport.Row teacher =
        r.rows().stream().filter(x -> x.method().isEmpty()).findFirst().orElse(null);
    for (LmReport.Row row : r.rows()) {
      sb.append("| ").append(row.student()).append(" | ").append(row.method()).append(" | ");
      sb.append(row.seeds()).append(" |");
      for (String s : sets) {
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
      for (String s : sets) {
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

  /**
   * "What did we lose?" in Markdown: robustness to typos, imitation of the teacher and calibration,
   * degeneration of generated text; mean ± std over seeds.
   */
  static String probes(LmReport r) {
    if (r.rows().stream().allMatch(x -> x.measures().isEmpty())) {
      return "";
    }
    StringBuilder sb = new StringBuilder("## What did we lose?\n\n");
    List<String> typos = r.sets().stream().filter(TextData::isTypoSet).toList();
    LmReport.Row teacher =
        r.rows().stream().filter(x -> x.method().isEmpty()).findFirst().orElse(null);
    if (!typos.isEmpty() && r.sets().contains("test")) {
      sb.append(
          "**Robustness to typos**: test bits per character when a share of its letters is"
              + " replaced by other letters (seeded); the last column is the increase over clean"
              + " test at the highest rate, and its gap to the teacher's increase.\n\n");
      sb.append("| model | method | test |");
      typos.forEach(t -> sb.append(' ').append(t.replace("test_typos_", "")).append(" % |"));
      sb.append(" increase | vs teacher |\n|---|---|---:|");
      sb.append("---:|".repeat(typos.size() + 2)).append('\n');
      String worst = typos.get(typos.size() - 1);
      Double teacherRise =
          teacher == null ? null : diff(teacher.bpc().get(worst), teacher.bpc().get("test"));
      for (LmReport.Row row : r.rows()) {
        sb.append(name(row)).append(' ').append(pm(row.bpc(), row.bpcStd(), "test")).append(" |");
        for (String t : typos) {
          sb.append(' ').append(pm(row.bpc(), row.bpcStd(), t)).append(" |");
        }
        Double rise = diff(row.bpc().get(worst), row.bpc().get("test"));
        sb.append(' ').append(fmt("%+.3f", rise)).append(" |");
        sb.append(' ')
            .append(row == teacher ? "" : fmt("%+.3f", diff(rise, teacherRise)))
            .append(" |\n");
      }
      sb.append('\n');
    }
    sb.append(
        "**Imitation and calibration** on test: top-1 agreement with the teacher's next token,"
            + " KL(teacher ‖ student) and KL(student ‖ teacher) in nats per token, expected"
            + " calibration error (15 bins) before and after a temperature τ fitted on"
            + " validation, mean confidence (top-1 probability) on test and on out-of-domain"
            + " text, and top-1 accuracy on both.\n\n");
    sb.append(
        "| model | method | agreement | KL(T‖S) | KL(S‖T) | ECE | ECE after τ | τ |"
            + " confidence test | accuracy test | confidence ood | accuracy ood |\n");
    sb.append("|---|---|" + "---:|".repeat(10) + "\n");
    for (LmReport.Row row : r.rows()) {
      Map<String, Double> m = row.measures();
      Map<String, Double> d = row.measuresStd();
      sb.append(name(row));
      for (String k :
          List.of(
              "test/agreement",
              "test/kl_teacher_student",
              "test/kl_student_teacher",
              "test/ece",
              "test/ece_scaled",
              "calibration/temperature",
              "test/confidence")) {
        sb.append(' ').append(pm(m, d, k)).append(" |");
      }
      sb.append(' ').append(fmt("%.3f", row.accuracy().get("test"))).append(" |");
      sb.append(' ').append(pm(m, d, "out_of_domain/confidence")).append(" |");
      sb.append(' ').append(fmt("%.3f", row.accuracy().get("out_of_domain"))).append(" |\n");
    }
    sb.append(
        "\n**Generation**: "
            + TextData.PROBE_PROMPTS
            + " greedy continuations of "
            + TextData.PROBE_TOKENS
            + " tokens from test prompts; seq-rep-4 is the share of repeated word 4-grams within"
            + " a continuation (0 = none), distinct-2 the share of distinct word bigrams over all"
            + " of them, looping the share of continuations that end in a loop; generation speed"
            + " at batch 1 without a key/value cache. Error accumulation (exposure bias): prompts"
            + " of half a window continued greedily by the teacher and by the student; KL(teacher"
            + " ‖ student) per token along each continuation (nats), on the teacher's text and on"
            + " the student's own, and the excess of the second over the first (0 = none).\n\n");
    sb.append(
        "| model | method | seq-rep-4 | distinct-2 | looping | KL teacher's text | KL own text |"
            + " excess | params | gen tok/s | × teacher speed |\n"
            + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LmReport.Row row : r.rows()) {
      Map<String, Double> m = row.measures();
      Map<String, Double> d = row.measuresStd();
      sb.append(name(row));
      for (String k :
          List.of(
              "generation/seq_rep_4",
              "generation/distinct_2",
              "generation/looping",
              "exposure/kl_teacher_prefix",
              "exposure/kl_own_prefix",
              "exposure/excess")) {
        sb.append(' ').append(pm(m, d, k)).append(" |");
      }
      sb.append(
          String.format(Locale.ROOT, " %,d | %.0f |", row.parameters(), row.tokensPerSecond()));
      sb.append(' ')
          .append(
              teacher == null || row == teacher
                  ? ""
                  : fmt("%.1f", row.tokensPerSecond() / teacher.tokensPerSecond()))
          .append(" |\n");
    }
    sb.append(comparisons(r));
    sb.append(fallback(r, teacher));
    sb.append(rareWords(r, teacher));
    sb.append(omitted(r, teacher));
    sb.append(inherited(r));
    return sb.toString();
  }

  /**
   * Inherited errors: at the test positions where the teacher's next token is wrong, how often each
   * student repeats it and how often it is right instead; with the {@code facts} corpus, the
   * planted-error probe's closed questions ({@link FactProbe}).
   */
  private static String inherited(LmReport r) {
    StringBuilder sb = new StringBuilder();
    if (r.rows().stream().anyMatch(x -> x.measures().containsKey("style/bpc_teacher_text"))) {
      sb.append(
          "\n**The teacher's style or the text's?** "
              + TextData.STYLE_PROMPTS
              + " test windows: the first half is a prompt, the second the real text; the teacher"
              + " also continues each prompt (sampled, temperature 1, seeded). Bits per character of"
              + " each student on the two continuations: a student that finds the teacher's text"
              + " much easier than the real text, more so than the label-only student, learned how"
              + " the teacher writes more than how the text is written.\n\n| model | method |"
              + " teacher's text | real text | real − teacher's |\n|---|---|---:|---:|---:|\n");
      for (LmReport.Row row : r.rows()) {
        Map<String, Double> m = row.measures();
        if (!m.containsKey("style/bpc_teacher_text")) {
          continue;
        }
        sb.append(name(row));
        sb.append(' ').append(pm(m, row.measuresStd(), "style/bpc_teacher_text")).append(" |");
        sb.append(' ').append(pm(m, row.measuresStd(), "style/bpc_real_text")).append(" |");
        sb.append(' ')
            .append(
                fmt("%+.3f", diff(m.get("style/bpc_real_text"), m.get("style/bpc_teacher_text"))))
            .append(" |\n");
      }
    }
    if (r.rows().stream().anyMatch(x -> x.measures().containsKey("test/errors/inherited"))) {
      sb.append(
          "\n**Inherited errors** (test, token level): at the positions where the teacher's most"
              + " likely next token is not the text's, the share where the student's is the"
              + " teacher's wrong one (inherited) and where it is the text's (corrected), beside the"
              + " overall agreement: inheritance partly restates agreement, so read the three"
              + " together.\n\n| model | method | teacher wrong | inherited | corrected |"
              + " agreement |\n|---|---|---:|---:|---:|---:|\n");
      for (LmReport.Row row : r.rows()) {
        if (!row.measures().containsKey("test/errors/inherited")) {
          continue;
        }
        sb.append(name(row));
        for (String k : List.of("teacher_wrong", "inherited", "corrected")) {
          sb.append(' ').append(pm(row.measures(), row.measuresStd(), "test/errors/" + k));
          sb.append(" |");
        }
        sb.append(' ').append(pm(row.measures(), row.measuresStd(), "test/agreement"));
        sb.append(" |\n");
      }
    }
    if (r.rows().stream().anyMatch(x -> x.measures().containsKey("facts/accuracy"))) {
      Double planted = r.rows().get(0).measures().get("facts/planted_share");
      sb.append(
          "\n**Inherited facts** (the planted-error probe, `facts` corpus): every fact asked as a"
              + " closed question, each possible value written into its sentence and scored whole;"
              + " the model's answer is the value it finds most likely, its confidence that"
              + " value's share of the candidates' probability. ");
      if (planted != null && planted > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "The teacher's training text stated %.0f %% of the facts wrongly; the students"
                    + " learned from text that states them all correctly. ",
                100 * planted));
      }
      sb.append(
          "Planted chosen: P(answer = the planted wrong value | fact planted). Inherited / corrected:"
              + " P(answer = the teacher's wrong answer / the true value | the teacher answers"
              + " wrongly).\n\n| model | method | facts right | confidence | planted chosen |"
              + " agreement with teacher | teacher wrong | inherited | corrected | confidence when"
              + " inherited | confidence when right |\n|---|---|"
              + "---:|".repeat(9)
              + "\n");
      for (LmReport.Row row : r.rows()) {
        sb.append(name(row));
        for (String k :
            List.of(
                "accuracy",
                "confidence",
                "planted_chosen",
                "agreement",
                "teacher_wrong",
                "inherited",
                "corrected",
                "confidence_inherited",
                "confidence_right")) {
          sb.append(' ').append(pm(row.measures(), row.measuresStd(), "facts/" + k)).append(" |");
        }
        sb.append('\n');
      }
    }
    if (r.rows().stream().anyMatch(x -> x.measures().containsKey("facts_gen/well_formed"))) {
      sb.append(
          "\n**Facts it writes itself**: "
              + FactProbe.GEN_PROMPTS * FactProbe.GEN_SAMPLES
              + " sentences sampled (temperature 1, seeded) after sentence ends in test, each"
              + " parsed against the corpus's templates: well formed, a true fact, a false fact"
              + " about a person of the corpus (a hallucination; planted: the teacher's planted"
              + " value), or invented (a person or value the corpus does not have); the entropy"
              + " of the values stated, in bits.\n\n| model | method | well formed | true | false |"
              + " planted | invented | value entropy |\n|---|---|"
              + "---:|".repeat(6)
              + "\n");
      for (LmReport.Row row : r.rows()) {
        sb.append(name(row));
        for (String k :
            List.of("well_formed", "true", "false", "planted", "invented", "value_entropy")) {
          sb.append(' ')
              .append(pm(row.measures(), row.measuresStd(), "facts_gen/" + k))
              .append(" |");
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * Paired comparisons on test: each student against the label-only student of the same seeds and
   * against the teacher, with 95 % paired bootstrap intervals over test windows, and churn.
   */
  private static String comparisons(LmReport r) {
    if (r.rows().stream()
        .noneMatch(
            x ->
                x.measures().containsKey("test/churn")
                    || x.measures().containsKey("test/delta_bpc_vs_teacher"))) {
      return "";
    }
    StringBuilder sb =
        new StringBuilder(
            "\n**Paired comparisons** on test: Δ bits per character (lower is better) against the"
                + " label-only student trained with the same seeds and against the teacher, mean ±"
                + " std over seed pairs, with a 95 % paired bootstrap interval ("
                + LmComparisons.RESAMPLES
                + " resamples of whole test windows, the same for every model); a difference counts"
                + " only when its interval excludes zero. Churn: the share of test positions whose"
                + " most likely next token changes between two seeds of the same method.\n\n");
    sb.append(
        "| model | method | seeds | Δ vs label-only | 95 % interval | verdict | Δ vs teacher |"
            + " 95 % interval | churn |\n|---|---|---:|---:|---:|---|---:|---:|---:|\n");
    for (LmReport.Row row : r.rows()) {
      if (row.method().isEmpty()) {
        continue;
      }
      Map<String, Double> m = row.measures();
      Map<String, Double> d = row.measuresStd();
      sb.append(name(row)).append(' ').append(row.seeds()).append(" |");
      for (String k : List.of("test/delta_bpc_vs_baseline", "test/delta_bpc_vs_teacher")) {
        Double lo = m.get(k + "_lo");
        Double hi = m.get(k + "_hi");
        sb.append(' ').append(m.containsKey(k) ? pm(m, d, k).replaceFirst("^(?!-)", "+") : "—");
        sb.append(" | ")
            .append(lo == null ? "—" : fmt("%+.3f", lo) + " to " + fmt("%+.3f", hi))
            .append(" |");
        if (k.endsWith("baseline")) {
          sb.append(' ')
              .append(
                  lo == null
                      ? ""
                      : hi < 0
                          ? row.method() + " better"
                          : lo > 0 ? "label-only better" : "no significant difference")
              .append(" |");
        }
      }
      sb.append(' ').append(fmt("%.4f", m.get("test/churn"))).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The teacher as a fallback: the token-level cascade at each deferral share chosen on validation,
   * and the speculative-decoding acceptance of the student's drafts.
   */
  private static String fallback(LmReport r, LmReport.Row teacher) {
    List<LmReport.Row> students =
        r.rows().stream()
            .filter(x -> x != teacher && x.measures().containsKey("test/spec_acceptance"))
            .toList();
    if (students.isEmpty()) {
      return "";
    }
    StringBuilder sb =
        new StringBuilder(
            "\n**Teacher fallback** on test. A token-level cascade: where the student's top-1"
                + " probability is below a threshold, the teacher predicts the token; each threshold"
                + " defers a share (10, 25, 50 %) of the validation positions, and the table gives"
                + " the share it defers on test and the cascade's bits per character. Speculative"
                + " decoding (Leviathan et al. 2023): the probability that the teacher accepts a"
                + " token the student drafts, α = mean Σ_v min(p_S(v), p_T(v)), and the tokens each"
                + " teacher call yields with 4 drafted tokens, (1 − α⁵)/(1 − α) (i.i.d. acceptance"
                + " assumed).\n\n");
    sb.append("| model | method | student |");
    for (double q : Probes.DEFER_SHARES) {
      int pc = (int) Math.round(100 * q);
      sb.append(" defer ").append(pc).append(" %: share | bpc |");
    }
    sb.append(" teacher | acceptance α | tokens per call |\n|---|---|---:|");
    sb.append("---:|---:|".repeat(Probes.DEFER_SHARES.length)).append("---:|---:|---:|\n");
    Double teacherBpc = teacher == null ? null : teacher.bpc().get("test");
    for (LmReport.Row row : students) {
      Map<String, Double> m = row.measures();
      Map<String, Double> d = row.measuresStd();
      sb.append(name(row)).append(' ').append(pm(row.bpc(), row.bpcStd(), "test")).append(" |");
      for (double q : Probes.DEFER_SHARES) {
        String key = "test/cascade_" + Math.round(100 * q) + "/";
        sb.append(' ').append(pm(m, d, key + "deferral")).append(" |");
        sb.append(' ').append(pm(m, d, key + "bpc")).append(" |");
      }
      Double alpha = m.get("test/spec_acceptance");
      sb.append(' ').append(fmt("%.3f", teacherBpc)).append(" |");
      sb.append(' ').append(pm(m, d, "test/spec_acceptance")).append(" |");
      sb.append(' ')
          .append(fmt("%.2f", alpha == null ? null : Probes.tokensPerCall(alpha)))
          .append(" |\n");
    }
    return sb.toString();
  }

  /**
   * Loss by how often the predicted token's word occurs in the training text, on test, with each
   * bucket's gap to the teacher and the worst bucket.
   */
  private static String rareWords(LmReport r, LmReport.Row teacher) {
    if (r.rows().stream().noneMatch(x -> x.measures().containsKey("test/words_other/share"))) {
      return "";
    }
    List<String> buckets = WordFrequency.BUCKETS;
    StringBuilder sb =
        new StringBuilder(
            "\n**Rare words** on test: bits per character at the positions whose predicted token"
                + " holds a letter of a word seen that often in the training text (case-folded;"
                + " unseen: 0 times, rare: 1–9, uncommon: 10–99, common: 100–999, frequent: ≥ 1,000;"
                + " other: spaces, punctuation, digits; the first row is each bucket's share of"
                + " the positions), and for students the gap to the teacher in each bucket and the"
                + " bucket where it is largest.\n\n| model | method |");
    for (String b : buckets) {
      sb.append(' ').append(b).append(" |");
    }
    sb.append(" worst gap |\n|---|---|").append("---:|".repeat(buckets.size() + 1)).append('\n');
    sb.append("| share of positions | |");
    LmReport.Row any = r.rows().get(0);
    for (String b : buckets) {
      sb.append(' ')
          .append(fmt("%.4f", any.measures().get("test/words_" + b + "/share")))
          .append(" |");
    }
    sb.append(" |\n");
    for (LmReport.Row row : r.rows()) {
      Map<String, Double> m = row.measures();
      sb.append(name(row));
      Map<String, Double> t = teacher == null || row == teacher ? Map.of() : teacher.measures();
      for (String b : buckets) {
        String key = WordFrequency.bpcKey(b);
        Double gap = t.isEmpty() ? null : diff(m.get(key), t.get(key));
        sb.append(' ').append(fmt("%.3f", m.get(key)));
        if (gap != null) {
          sb.append(" (").append(fmt("%+.3f", gap)).append(')');
        }
        sb.append(" |");
      }
      String worst = WordFrequency.worstBucket(m, t);
      String key = worst == null ? null : WordFrequency.bpcKey(worst);
      sb.append(' ')
          .append(worst == null ? "" : worst + " " + fmt("%+.3f", m.get(key) - t.get(key)))
          .append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The omitted-pattern probe: bits per character inside the words whose lines the students never
   * saw ({@code data.omit}), on each real set, beside the teacher, which saw them.
   */
  private static String omitted(LmReport r, LmReport.Row teacher) {
    List<String> sets =
        List.of("test", "held_out", "out_of_domain").stream()
            .filter(
                s ->
                    r.rows().stream()
                        .anyMatch(x -> x.measures().containsKey(s + "/omitted_words/bpc")))
            .toList();
    if (sets.isEmpty()) {
      return "";
    }
    StringBuilder sb =
        new StringBuilder(
            "\n**Omitted pattern** (`data.omit`): every line containing these words was removed"
                + " from the students' training text; the teacher was trained with them. Bits per"
                + " character at the positions inside those words (their share of the set's"
                + " positions below), and each model's gap to the teacher there.\n\n| model | method |");
    for (String s : sets) {
      sb.append(' ').append(s).append(" | gap |");
    }
    sb.append("\n|---|---|").append("---:|---:|".repeat(sets.size())).append('\n');
    sb.append("| share of positions | |");
    for (String s : sets) {
      sb.append(' ')
          .append(fmt("%.4f", r.rows().get(0).measures().get(s + "/omitted_words/share")))
          .append(" | |");
    }
    sb.append('\n');
    for (LmReport.Row row : r.rows()) {
      sb.append(name(row));
      for (String s : sets) {
        String key = s + "/omitted_words/bpc";
        sb.append(' ').append(pm(row.measures(), row.measuresStd(), key)).append(" |");
        sb.append(' ')
            .append(
                teacher == null || row == teacher
                    ? ""
                    : fmt("%+.3f", diff(row.measures().get(key), teacher.measures().get(key))))
            .append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String name(LmReport.Row row) {
    return "| " + row.student() + " | " + row.method() + " |";
  }

  private static Double diff(Double a, Double b) {
    return a == null || b == null ? null : a - b;
  }

  private static String fmt(String format, Double v) {
    return v == null || !Double.isFinite(v) ? "—" : String.format(Locale.ROOT, format, v);
  }

  /** A mean, with its standard deviation when there is one. */
  static String pm(Map<String, Double> mean, Map<String, Double> std, String key) {
    Double m = mean.get(key);
    Double d = std.get(key);
    if (m == null || !Double.isFinite(m)) {
      return "—";
    }
    return d == null || !Double.isFinite(d)
        ? String.format(Locale.ROOT, "%.3f", m)
        : String.format(Locale.ROOT, "%.3f ± %.3f", m, d);
  }

  /** Every probe of every model in long form: model, method, seeds, key, mean, std. */
  private static String probesCsv(LmReport r) {
    StringBuilder sb = new StringBuilder("model,method,seeds,measure,mean,std\n");
    for (LmReport.Row row : r.rows()) {
      row.measures()
          .forEach(
              (k, v) ->
                  sb.append(
                      String.format(
                          Locale.ROOT,
                          "%s,%s,%d,%s,%.6f,%.6f%n",
                          row.student(),
                          row.method(),
                          row.seeds(),
                          k,
                          v,
                          row.measuresStd().getOrDefault(k, Double.NaN))));
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

  static Path write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
