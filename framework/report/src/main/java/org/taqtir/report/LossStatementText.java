package org.taqtir.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.taqtir.core.eval.loss.Comparison;
import org.taqtir.core.eval.loss.LossEvaluator;
import org.taqtir.core.eval.loss.LossReport;
import org.taqtir.core.eval.loss.MethodEvaluation;
import org.taqtir.core.eval.loss.Summary;
import org.taqtir.core.eval.loss.Targets;

/**
 * The text of the Distillation Loss Statement, written from the evaluation's data alone ({@link
 * LossReport}); every sentence is generated from a computed number.
 */
final class LossStatementText {

  private LossStatementText() {}

  /**
   * What the statement says about the study besides the report.
   *
   * @param study the study's name
   * @param seeds its seeds
   * @param dataHash the data's content hash
   * @param teacher the teacher's description
   * @param fingerprint the teacher's fingerprint, empty when none
   */
  record Header(
      String study, List<Long> seeds, String dataHash, String teacher, String fingerprint) {}

  /**
   * The group-disparity overview (only when the data has a group column): per-group test accuracy,
   * demographic-parity and equalised-odds gaps of the teacher and of every student × method (seed
   * means), and which models widen the teacher's gaps.
   */
  static String disparity(LossReport r) {
    Map<String, Double> t = r.teacherMetrics();
    if (!t.containsKey("dp_gap")) {
      return "";
    }
    List<String> groups =
        t.keySet().stream()
            .filter(k -> k.startsWith("group.") && k.endsWith(".acc"))
            .map(k -> k.substring("group.".length(), k.length() - ".acc".length()))
            .toList();
    StringBuilder sb = new StringBuilder("## Group disparity\n\n");
    sb.append(
        "Test set split by the data's group column. Demographic-parity gap: max over classes c of"
            + " max_g P(ŷ=c|g) − min_g P(ŷ=c|g) (with two classes, the positive-class gap)."
            + " Equalised-odds gap: max over classes (one-vs-rest) of the larger of the TPR and FPR"
            + " gaps across groups. Students: mean ± std over seeds.\n\n");
    sb.append("| model | method |");
    for (String g : groups) {
      sb.append(" acc group ").append(g).append(" |");
    }
    sb.append(" DP gap | EO gap |\n|---|---|");
    sb.append("---:|".repeat(groups.size() + 2)).append('\n');
    sb.append("| teacher | |");
    for (String g : groups) {
      sb.append(' ').append(pct(t.get("group." + g + ".acc"))).append(" |");
    }
    sb.append(' ').append(num(t.get("dp_gap"))).append(" | ");
    sb.append(num(t.get("eo_gap"))).append(" |\n");
    List<String> wider = new java.util.ArrayList<>();
    for (MethodEvaluation m : r.methods()) {
      sb.append("| ").append(m.student()).append(" | ").append(m.method()).append(" |");
      for (String g : groups) {
        Summary s = m.metrics().get("group." + g + ".acc");
        sb.append(' ')
            .append(
                s == null
                    ? ""
                    : String.format(Locale.ROOT, "%.2f ± %.2f %%", 100 * s.mean(), 100 * s.std()))
            .append(" |");
      }
      sb.append(' ').append(summary(m.metrics().get("dp_gap"))).append(" | ");
      sb.append(summary(m.metrics().get("eo_gap"))).append(" |\n");
      if (m.mean("dp_gap") > t.get("dp_gap") || m.mean("eo_gap") > t.get("eo_gap")) {
        wider.add(m.student() + " / " + m.method());
      }
    }
    sb.append('\n');
    sb.append(
        wider.isEmpty()
            ? "No student widens the teacher's demographic-parity or equalised-odds gap (seed"
                + " means).\n\n"
            : "Wider demographic-parity or equalised-odds gap than the teacher (seed means): "
                + String.join(", ", wider)
                + ".\n\n");
    return sb.toString();
  }

  static String markdown(
      Header header, LossReport r, List<String> classNames, List<String> charts) {
    Map<String, Double> t = r.teacherMetrics();
    StringBuilder sb = new StringBuilder();
    sb.append("# Distillation Loss Statement: ").append(header.study()).append("\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Teacher: %s, test accuracy %s, ECE %s (%s after temperature scaling, T = %.2f)."
                + " Students are compared with the teacher and with the label-only baseline `%s`"
                + " of the same architecture; %d seeds (%s); intervals are 95 %% paired bootstrap"
                + " (%d resamples) over test samples and seeds, and a class counts as harmed when"
                + " its whole interval lies below zero.%n%n",
            header.teacher(),
            pct(t.get("acc")),
            num(t.get("ece")),
            num(t.get("ece_ts")),
            t.get("temperature"),
            r.baselineMethod() == null ? "none" : r.baselineMethod(),
            header.seeds().size(),
            header.seeds(),
            r.bootstrap()));
    sb.append(disparity(r));
    for (MethodEvaluation m : r.methods()) {
      sb.append("## ").append(m.student()).append(" / ").append(m.method());
      sb.append(m.baseline() ? " (label-only baseline)\n\n" : "\n\n");
      sb.append(preserved(m, t));
      sb.append(paired(m, r));
      sb.append(lost(m, t, classNames));
      sb.append(omitted(m, t, r, classNames));
      sb.append(untrusted(m, classNames));
      sb.append(shift(m, t));
      sb.append(deferral(m, r));
      sb.append(gained(m, t));
      if (!m.targets().isEmpty()) {
        sb.append(
            "**Preservation targets.**\n\n| target | value | bound | met |\n|---|---:|---:|---|\n");
        for (Targets.Result tr : m.targets()) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "| `%s` | %.4f | %.4f | %s |%n",
                  tr.target().text(),
                  tr.value(),
                  tr.bound(),
                  tr.met() ? "yes" : "**no**"));
        }
        sb.append('\n');
      }
      sb.append("| metric | mean ± std | teacher |\n|---|---:|---:|\n");
      for (var e : m.metrics().entrySet()) {
        sb.append("| ")
            .append(e.getKey())
            .append(" — ")
            .append(LossEvaluator.doc(e.getKey()))
            .append(" | ")
            .append(summary(e.getValue()))
            .append(" | ")
            .append(t.containsKey(e.getKey()) ? num(t.get(e.getKey())) : "")
            .append(" |\n");
      }
      sb.append('\n');
    }
    if (!r.comparisons().isEmpty()) {
      sb.append("## Paired comparisons\n\n")
          .append(
              "Each pair of methods of the same student on the same seeds and test samples: Δ ="
                  + " accuracy(A) − accuracy(B), mean ± std over seed pairs, and its 95 % paired"
                  + " bootstrap interval; a difference counts only when the interval excludes"
                  + " zero.\n\n")
          .append("| student | A | B | Δ accuracy (points) | 95 % interval | verdict |\n")
          .append("|---|---|---|---:|---:|---|\n");
      for (Comparison c : r.comparisons()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %+.2f to %+.2f | %s |%n",
                c.student(),
                c.a(),
                c.b(),
                Double.isNaN(c.delta().std())
                    ? String.format(Locale.ROOT, "%+.2f", 100 * c.delta().mean())
                    : String.format(
                        Locale.ROOT, "%+.2f ± %.2f", 100 * c.delta().mean(), 100 * c.delta().std()),
                100 * c.lo(),
                100 * c.hi(),
                c.verdict()));
      }
      sb.append('\n');
    }
    sb.append("## Charts\n\n");
    for (String c : charts) {
      sb.append("![").append(c).append("](").append(c).append(")\n\n");
    }
    sb.append("## Behind these numbers\n\n");
    sb.append("Resolved config: `study.resolved.yaml`; data hash `")
        .append(header.dataHash(), 0, 16)
        .append("…`; teacher fingerprint `")
        .append(header.fingerprint(), 0, Math.min(16, header.fingerprint().length()))
        .append("…`. Not measured here: ")
        .append(r.omittedClasses().isEmpty() ? "the omitted-class probe and " : "")
        .append("group disparity; absence of a finding there is not evidence of no loss.\n");
    return sb.toString();
  }

  private static String preserved(MethodEvaluation m, Map<String, Double> t) {
    return String.format(
        Locale.ROOT,
        "**Preserved.** Test accuracy %s (teacher %s); the student agrees with the teacher on %s of"
            + " test samples (KL(teacher ‖ student) %s nats).%n%n",
        pctS(m.metrics().get("acc")),
        pct(t.get("acc")),
        pctS(m.metrics().get("agreement")),
        num(m.mean("kl")));
  }

  private static String paired(MethodEvaluation m, LossReport r) {
    Summary d = m.metrics().get("acc_delta");
    if (d == null) {
      return "";
    }
    double lo = m.mean("acc_delta_lo");
    double hi = m.mean("acc_delta_hi");
    return String.format(
        Locale.ROOT,
        "**Against the baseline** `%s` (paired by seed): Δ test accuracy %s points%s, 95 %% paired"
            + " bootstrap interval %+.2f to %+.2f points: %s.%n%n",
        r.baselineMethod(),
        Double.isNaN(d.std())
            ? String.format(Locale.ROOT, "%+.2f", 100 * d.mean())
            : String.format(Locale.ROOT, "%+.2f ± %.2f", 100 * d.mean(), 100 * d.std()),
        d.n() > 1 ? " (mean ± std over " + d.n() + " seed pairs)" : "",
        100 * lo,
        100 * hi,
        lo > 0
            ? "significantly better"
            : hi < 0 ? "significantly worse" : "no significant difference");
  }

  private static String omitted(
      MethodEvaluation m, Map<String, Double> t, LossReport r, List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (int k : r.omittedClasses()) {
      String p = "omitted." + k + ".";
      sb.append(
          String.format(
              Locale.ROOT,
              "**Omitted class** %s (left out of the transfer set; Hinton et al. 2015): the student"
                  + " gets %s of its test samples right (teacher %s), overall accuracy %s. Adding"
                  + " %s to its logit — the bias that makes the student's predicted frequency of"
                  + " the class on validation (%s before) match the teacher's (%s) — gives %s on"
                  + " the class and %s overall.%n%n",
              name(names, k),
              pctS(m.metrics().get(p + "acc")),
              pct(t.get(p + "acc")),
              pctS(m.metrics().get("acc")),
              summaryNum(m.metrics().get(p + "bias")),
              pctS(m.metrics().get(p + "val_freq")),
              pct(t.get(p + "val_freq")),
              pctS(m.metrics().get(p + "acc_corrected")),
              pctS(m.metrics().get(p + "overall_acc_corrected"))));
    }
    return sb.toString();
  }

  private static String name(List<String> names, int k) {
    return k < names.size() ? names.get(k) + " (" + k + ")" : String.valueOf(k);
  }

  private static String summaryNum(Summary s) {
    return s == null ? "n/a" : summary(s);
  }

  private static String lost(MethodEvaluation m, Map<String, Double> t, List<String> names) {
    StringBuilder sb = new StringBuilder("**Lost.** ");
    double ece = m.mean("ece");
    sb.append(
        String.format(
            Locale.ROOT,
            "Calibration: ECE %s vs the teacher's %s (%s), %s after temperature scaling; ",
            num(ece),
            num(t.get("ece")),
            ece > t.get("ece") ? "worse" : "not worse",
            num(m.mean("ece_ts"))));
    sb.append(
        String.format(
            Locale.ROOT, "the over-confident part of ECE is %s. ", num(m.mean("overconfidence"))));
    sb.append(
        String.format(
            Locale.ROOT,
            "When the teacher is wrong, the student repeats its exact mistake %s of the time",
            pct(m.mean("inherited"))));
    if (!Double.isNaN(m.mean("negative_transfer"))) {
      sb.append(
          String.format(
              Locale.ROOT,
              "; where the teacher is wrong but the baseline right, the student is wrong %s of the"
                  + " time (negative transfer), and it fixes %s of the baseline's errors the teacher"
                  + " gets right (positive transfer)",
              pct(m.mean("negative_transfer")),
              pct(m.mean("positive_transfer"))));
    }
    sb.append(". ");
    if (m.delta() != null) {
      List<String> harmed = new ArrayList<>();
      for (int c = 0; c < names.size(); c++) {
        if (m.delta().hi()[c] < 0) {
          harmed.add(
              String.format(
                  Locale.ROOT,
                  "%s (%+.1f points, 95 %% CI %+.1f to %+.1f)",
                  names.get(c),
                  100 * m.delta().delta()[c],
                  100 * m.delta().lo()[c],
                  100 * m.delta().hi()[c]));
        }
      }
      sb.append(
          harmed.isEmpty()
              ? "No class is significantly harmed against the baseline."
              : "Classes significantly harmed against the baseline: "
                  + String.join("; ", harmed)
                  + ".");
    }
    return sb.append("\n\n").toString();
  }

  private static String untrusted(MethodEvaluation m, List<String> names) {
    int worst = 0;
    for (int c = 1; c < m.perClassAccuracy().length; c++) {
      if (m.perClassAccuracy()[c] < m.perClassAccuracy()[worst]) {
        worst = c;
      }
    }
    return String.format(
        Locale.ROOT,
        "**Do not trust it on** class %s: its accuracy there is %s, the lowest of all classes.%n%n",
        names.get(worst),
        pct(m.perClassAccuracy()[worst]));
  }

  private static String shift(MethodEvaluation m, Map<String, Double> t) {
    double drop = m.mean("corruption.mean.acc_drop");
    if (Double.isNaN(drop)) {
      return "";
    }
    String worst = null;
    double worstVs = Double.NEGATIVE_INFINITY;
    for (String k : m.metrics().keySet()) {
      if (k.endsWith(".acc_drop_vs_teacher") && !k.contains(".mean.")) {
        double v = m.mean(k);
        if (v > worstVs) {
          worstVs = v;
          worst = k.substring("corruption.".length(), k.indexOf(".acc_drop"));
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "**Under shift** (15 seeded corruptions of the test set): accuracy drops by %s on average"
            + " (teacher: %s). The largest extra drop over the teacher's is under %s: %+.2f points"
            + " (student drop %s vs teacher %s).%n%n",
        pts(drop),
        pts(t.get("corruption.mean.acc_drop")),
        worst,
        100 * worstVs,
        pts(m.mean("corruption." + worst + ".acc_drop")),
        pts(t.get("corruption." + worst + ".acc_drop")));
  }

  private static String pts(Double v) {
    return v == null || Double.isNaN(v)
        ? "n/a"
        : String.format(Locale.ROOT, "%.2f points", 100 * v);
  }

  private static String deferral(MethodEvaluation m, LossReport r) {
    return String.format(
        Locale.ROOT,
        "**Recommended deferral.** With the %s rule and τ chosen per seed on validation %s"
            + " (first seed: τ = %.4f), the cascade defers %s of test samples to the"
            + " teacher and reaches %s accuracy at %s ms per sample (means over seeds); at the"
            + " same deferral rate an oracle would reach %s and random deferral %s.%n%n",
        r.rule().name().toLowerCase(Locale.ROOT),
        r.cascadeChoice(),
        m.chosen().tau(),
        pctS(m.metrics().get("cascade.deferral")),
        pctS(m.metrics().get("cascade.acc")),
        num(m.mean("cascade.cost_ms")),
        pct(m.mean("cascade.oracle_acc")),
        pct(m.mean("cascade.random_acc")));
  }

  private static String gained(MethodEvaluation m, Map<String, Double> t) {
    double params = m.mean("params");
    return String.format(
        Locale.ROOT,
        "**Gained.** %,d parameters (%.2f MB)%s; batch-1 latency %s ms vs %s ms for the teacher"
            + " (%.1f× faster); batch-256 latency %s ms vs %s ms.%n%n",
        (long) params,
        4 * params / 1e6,
        t.containsKey("params")
            ? String.format(Locale.ROOT, ", %.1f× fewer than the teacher", t.get("params") / params)
            : "",
        num(m.mean("latency_1_ms")),
        num(t.get("latency_1_ms")),
        m.mean("speedup_1"),
        num(m.mean("latency_256_ms")),
        num(t.get("latency_256_ms")));
  }

  private static String summary(Summary s) {
    return Double.isNaN(s.std()) ? num(s.mean()) : num(s.mean()) + " ± " + num(s.std());
  }

  private static String num(Double v) {
    if (v == null || Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return a != 0 && (a >= 1e5 || a < 1e-3)
        ? String.format(Locale.ROOT, "%.3g", v)
        : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String pct(Double v) {
    return v == null || Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f %%", 100 * v);
  }

  private static String pctS(Summary s) {
    if (s == null) {
      return "n/a";
    }
    return Double.isNaN(s.std())
        ? pct(s.mean())
        : String.format(Locale.ROOT, "%.2f ± %.2f %%", 100 * s.mean(), 100 * s.std());
  }
}
