package org.taqtir.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How trained models are selected and evaluated.
 *
 * @param test whether to evaluate the selected epoch on the test set
 * @param select the model-selection metric, computed on the validation split only; {@code
 *     "val_acc"} for now
 * @param lossStatement whether to run the "what did we lose" evaluation (fidelity, calibration,
 *     per-class harm, inherited errors, corruptions, cascade) and write the Distillation Loss
 *     Statement; needs {@code test}
 * @param corruptions whether to evaluate on the corruption suite (15 shifted test sets)
 * @param corruptionSeed seed of the corruption suite
 * @param bootstrap resamples for per-class confidence intervals (paired bootstrap)
 * @param cascadeRule confidence rule of the cascade with teacher fallback: {@code max_prob}, {@code
 *     margin} or {@code entropy}
 * @param targetAccuracy accuracy the cascade threshold is chosen for; NaN: the teacher's accuracy
 *     minus half a point
 * @param targets preservation targets such as {@code agreement >= 0.95}
 * @param failOnTargets whether a study whose targets are not all met fails (exit code 1)
 * @param cascadeBudget when set, τ is chosen for a cost budget instead of {@code targetAccuracy}:
 *     the most accurate validation operating point whose mean cost per sample is at most this
 *     fraction of the teacher's (batch-1 latency); NaN: not used
 * @param cascadeMaxDeferral when set, τ is the most accurate validation operating point that defers
 *     at most this fraction of samples to the teacher; NaN: not used
 */
public record EvaluationConfig(
    boolean test,
    String select,
    boolean lossStatement,
    boolean corruptions,
    long corruptionSeed,
    int bootstrap,
    String cascadeRule,
    double targetAccuracy,
    List<String> targets,
    boolean failOnTargets,
    double cascadeBudget,
    double cascadeMaxDeferral)
    implements EvaluationSpec {

  /** The default selection metric: validation accuracy. */
  public static final String VAL_ACC = "val_acc";

  /** Allowed cascade rules. */
  public static final List<String> CASCADE_RULES = List.of("max_prob", "margin", "entropy");

  /** Checks and copies. */
  public EvaluationConfig {
    Objects.requireNonNull(select, "select");
    Objects.requireNonNull(cascadeRule, "cascadeRule");
    targets = List.copyOf(targets);
  }

  /**
   * The defaults: test evaluation, loss statement with corruptions, 1000 bootstrap resamples.
   *
   * @return the default evaluation
   */
  public static EvaluationConfig defaults() {
    return new EvaluationConfig(
        true,
        VAL_ACC,
        true,
        true,
        0L,
        1000,
        "max_prob",
        Double.NaN,
        List.of(),
        false,
        Double.NaN,
        Double.NaN);
  }

  @Override
  public Map<String, Object> toYaml() {
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("test", test);
    evaluation.put("select", select);
    evaluation.put("loss_statement", lossStatement);
    evaluation.put("corruptions", corruptions);
    evaluation.put("corruption_seed", corruptionSeed);
    evaluation.put("bootstrap", bootstrap);
    evaluation.put("cascade_rule", cascadeRule);
    if (!Double.isNaN(targetAccuracy)) {
      evaluation.put("target_accuracy", targetAccuracy);
    }
    evaluation.put("targets", targets);
    evaluation.put("fail_on_targets", failOnTargets);
    if (!Double.isNaN(cascadeBudget)) {
      evaluation.put("cascade_budget", cascadeBudget);
    }
    if (!Double.isNaN(cascadeMaxDeferral)) {
      evaluation.put("cascade_max_deferral", cascadeMaxDeferral);
    }
    return evaluation;
  }
}
