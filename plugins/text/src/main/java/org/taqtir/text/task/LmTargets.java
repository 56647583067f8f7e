package org.taqtir.text.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.taqtir.core.eval.loss.Targets;

/**
 * Preservation targets for language models: the classifiers' grammar ({@link Targets}, e.g. {@code
 * test/bpc <= teacher + 0.3}, {@code out_of_domain/agreement >= 0.6}) over the report's metrics.
 * The keys are checked when the study is read, so a misspelt target fails before any training.
 */
final class LmTargets {

  private static final String SETS = "(?:validation|test|held_out|out_of_domain|test_typos_[0-9]+)";
  private static final String REAL_SETS = "(?:test|held_out|out_of_domain)";

  /** The planted-error probe's keys ({@link FactProbe}), under {@code facts/}. */
  static final List<String> FACT_KEYS =
      List.of(
          "accuracy",
          "confidence",
          "confidence_right",
          "planted_share",
          "planted_chosen",
          "agreement",
          "teacher_wrong",
          "inherited",
          "corrected",
          "confidence_inherited");

  /** Every metric key a target may name. */
  private static final Pattern KNOWN =
      Pattern.compile(
          SETS
              + "/(?:bpc|acc|ece|ece_scaled|confidence)"
              + "|"
              + REAL_SETS
              + "/(?:agreement|kl_teacher_student|kl_student_teacher|spec_acceptance"
              + "|cascade_(?:"
              + String.join(
                  "|",
                  java.util.Arrays.stream(Probes.DEFER_SHARES)
                      .mapToObj(q -> String.valueOf(Math.round(100 * q)))
                      .toList())
              + ")/(?:deferral|bpc|accuracy)"
              + "|words_(?:"
              + String.join("|", WordFrequency.BUCKETS)
              + ")/(?:bpc|share)"
              + "|omitted_words/(?:bpc|share)"
              + "|errors/(?:teacher_wrong|inherited|corrected))"
              + "|facts/(?:"
              + String.join("|", FACT_KEYS)
              + ")"
              + "|facts_gen/(?:well_formed|true|false|planted|invented|value_entropy)"
              + "|style/(?:bpc_teacher_text|bpc_real_text)"
              + "|test/(?:churn|delta_bpc_vs_baseline(?:_lo|_hi)?|delta_bpc_vs_teacher(?:_lo|_hi)?)"
              + "|calibration/temperature"
              + "|generation/(?:seq_rep_4|distinct_2|looping|tokens_per_second)"
              + "|exposure/(?:kl_teacher_prefix|kl_own_prefix)(?:_last_quarter)?|exposure/excess");

  /** The keys, as an error message lists them. */
  static final String KNOWN_TEXT =
      "<set>/bpc, <set>/acc, <set>/ece, <set>/ece_scaled, <set>/confidence (set: validation, test,"
          + " held_out, out_of_domain, test_typos_<percent>); test|held_out|out_of_domain/"
          + "agreement, kl_teacher_student, kl_student_teacher, spec_acceptance,"
          + " cascade_10|25|50/deferral|bpc|accuracy, words_<bucket>/bpc|share,"
          + " omitted_words/bpc|share, errors/teacher_wrong|inherited|corrected;"
          + " facts/accuracy|confidence|confidence_right|planted_share|planted_chosen|agreement"
          + "|teacher_wrong|inherited|corrected|confidence_inherited;"
          + " facts_gen/well_formed|true|false|planted|invented|value_entropy;"
          + " style/bpc_teacher_text|bpc_real_text; test/churn,"
          + " test/delta_bpc_vs_baseline[_lo|_hi], test/delta_bpc_vs_teacher[_lo|_hi];"
          + " calibration/temperature; generation/seq_rep_4, distinct_2, looping, tokens_per_second;"
          + " exposure/kl_teacher_prefix[_last_quarter], kl_own_prefix[_last_quarter], excess";

  private LmTargets() {}

  /**
   * Why a target cannot be used, or null.
   *
   * @param text the target as written
   * @return the problem, in one line
   */
  static String problem(String text) {
    if (text == null) {
      return "a target is empty; expected " + Targets.FORM_TEXT;
    }
    Targets.Target t;
    try {
      t = Targets.parse(text);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (!KNOWN.matcher(t.metric()).matches()) {
      return "target '" + text + "': unknown metric '" + t.metric() + "'; known: " + KNOWN_TEXT;
    }
    return null;
  }

  /**
   * A model's metrics as targets read them: the probes, and per set {@code <set>/bpc} and {@code
   * <set>/acc}.
   *
   * @param row the model's row of the report
   * @return key to value
   */
  static Map<String, Double> metrics(LmReport.Row row) {
    Map<String, Double> m = new LinkedHashMap<>(row.measures());
    row.bpc().forEach((set, v) -> m.put(set + "/bpc", v));
    row.accuracy().forEach((set, v) -> m.put(set + "/acc", v));
    m.values().removeIf(v -> v == null || !Double.isFinite(v));
    return m;
  }

  /**
   * Checks the targets for one model; a metric this study did not measure (no teacher, no such set)
   * is a target not met, with NaN value.
   *
   * @param targets the targets as written
   * @param model the model's metrics
   * @param teacher the teacher's metrics (empty without a teacher)
   * @return one result per target
   */
  static List<Targets.Result> check(
      List<String> targets, Map<String, Double> model, Map<String, Double> teacher) {
    List<Targets.Result> out = new ArrayList<>();
    for (String text : targets) {
      Targets.Target t = Targets.parse(text);
      try {
        out.add(Targets.check(t, model, teacher));
      } catch (IllegalArgumentException notMeasured) {
        out.add(new Targets.Result(t, Double.NaN, Double.NaN, false));
      }
    }
    return out;
  }
}
