package org.taqtir.core.classification;

import java.nio.file.Path;
import java.util.List;
import org.taqtir.api.Range;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataConfig;
import org.taqtir.core.config.EvaluationConfig;
import org.taqtir.core.config.TableSchema;
import org.taqtir.core.train.Selection;

/**
 * Reads a classification study's {@code data:} block (Fashion-MNIST-style IDX images or a CSV table
 * with a declared schema) and its {@code evaluation:} block (the Distillation Loss Statement's
 * settings).
 */
final class ClassificationConfig {

  private static final Range AT_LEAST_0 = Range.atLeast(0);
  private static final Range AT_LEAST_1 = Range.atLeast(1);
  private static final Range POSITIVE = Range.greaterThan(0);

  private ClassificationConfig() {}

  /** The {@code data:} block as Jackson binds it. */
  record DataRaw(
      String source,
      String dir,
      Integer trainLimit,
      Integer testLimit,
      Integer validation,
      Long splitSeed,
      List<Integer> transferExcludeClasses,
      Integer labelled,
      Integer transferLimit,
      String file,
      String target,
      List<String> features,
      List<String> categorical,
      String group,
      String splitColumn,
      Integer test,
      Object binarizeTarget) {}

  /** The {@code evaluation:} block as Jackson binds it. */
  record EvaluationRaw(
      Boolean test,
      String select,
      Boolean lossStatement,
      Boolean corruptions,
      Long corruptionSeed,
      Integer bootstrap,
      String cascadeRule,
      Double targetAccuracy,
      List<String> targets,
      Boolean failOnTargets,
      Double cascadeBudget,
      Double cascadeMaxDeferral) {}

  static DataConfig data(ConfigSection s) {
    DataRaw r = s.bind(DataRaw.class);
    DataRaw d =
        r != null
            ? r
            : new DataRaw(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    String source =
        s.oneOf(
            d.source(),
            DataConfig.FASHION_MNIST,
            List.of(DataConfig.FASHION_MNIST, DataConfig.CSV),
            "data.source");
    if (source.equals(DataConfig.CSV)) {
      return table(s, d);
    }
    for (var e :
        new Object[][] {
          {"file", d.file()},
          {"target", d.target()},
          {"features", d.features()},
          {"categorical", d.categorical()},
          {"group", d.group()},
          {"split_column", d.splitColumn()},
          {"test", d.test()},
          {"binarize_target", d.binarizeTarget()}
        }) {
      if (e[1] != null) {
        throw s.error("data." + e[0], "data." + e[0] + " is for data.source: csv, not " + source);
      }
    }
    String dirText = d.dir() == null ? DataConfig.DEFAULT_DIR : d.dir();
    Path dir = s.resolve(dirText, "data.dir");
    int trainLimit = s.intIn(d.trainLimit(), 0, AT_LEAST_0, "data.train_limit");
    int testLimit = s.intIn(d.testLimit(), 0, AT_LEAST_0, "data.test_limit");
    int validation = s.intIn(d.validation(), 5000, AT_LEAST_1, "data.validation");
    long splitSeed = d.splitSeed() == null ? 42L : d.splitSeed();
    List<Integer> exclude =
        d.transferExcludeClasses() == null ? List.of() : d.transferExcludeClasses();
    for (int i = 0; i < exclude.size(); i++) {
      String f = "data.transfer_exclude_classes[" + i + "]";
      Integer c = exclude.get(i);
      if (c == null || c < 0 || exclude.subList(0, i).contains(c)) {
        throw s.error(
            f, f + " must be a class index >= 0 that is not listed twice, found " + s.found(f, c));
      }
    }
    return new DataConfig(
        source,
        dir.toAbsolutePath().normalize(),
        trainLimit,
        testLimit,
        validation,
        splitSeed,
        exclude,
        s.intIn(d.labelled(), 0, AT_LEAST_0, "data.labelled"),
        s.intIn(d.transferLimit(), 0, AT_LEAST_0, "data.transfer_limit"),
        null);
  }

  /** {@code data.source: csv}: a table with a declared schema (checked again when loaded). */
  private static DataConfig table(ConfigSection s, DataRaw d) {
    String fileText = s.required(d.file(), "data.file", "the CSV file");
    Path file = s.resolve(fileText, "data.file");
    String target = s.required(d.target(), "data.target", "the class column");
    for (var e :
        new Object[][] {
          {"dir", d.dir()}, {"train_limit", d.trainLimit()}, {"test_limit", d.testLimit()}
        }) {
      if (e[1] != null) {
        throw s.error(
            "data." + e[0],
            "data." + e[0] + " is for image data; a csv table uses file, validation and test");
      }
    }
    if (d.transferExcludeClasses() != null && !d.transferExcludeClasses().isEmpty()) {
      throw s.error(
          "data.transfer_exclude_classes",
          "data.transfer_exclude_classes is not supported for data.source: csv");
    }
    int validation = s.intIn(d.validation(), 0, AT_LEAST_0, "data.validation");
    int test = s.intIn(d.test(), 0, AT_LEAST_0, "data.test");
    long splitSeed = d.splitSeed() == null ? 42L : d.splitSeed();
    String binarize = null;
    Object b = d.binarizeTarget();
    if (b instanceof Number num && Double.isFinite(num.doubleValue())) {
      binarize = Double.toString(num.doubleValue());
    } else if ("median".equals(b)) {
      binarize = "median";
    } else if (b != null) {
      throw s.error(
          "data.binarize_target", "data.binarize_target must be median or a number, found " + b);
    }
    List<String> features = d.features() == null ? List.of() : d.features();
    List<String> categorical = d.categorical() == null ? List.of() : d.categorical();
    for (String[] pair : new String[][] {{"group", d.group()}, {"split_column", d.splitColumn()}}) {
      if (target.equals(pair[1])) {
        throw s.error(
            "data." + pair[0], "data." + pair[0] + " must not be the target column " + target);
      }
    }
    return new DataConfig(
        DataConfig.CSV,
        file.getParent(),
        0,
        0,
        validation,
        splitSeed,
        List.of(),
        s.intIn(d.labelled(), 0, AT_LEAST_0, "data.labelled"),
        s.intIn(d.transferLimit(), 0, AT_LEAST_0, "data.transfer_limit"),
        new TableSchema(
            file, target, features, categorical, d.group(), d.splitColumn(), test, binarize));
  }

  static EvaluationConfig evaluation(ConfigSection s) {
    EvaluationRaw r = s.bind(EvaluationRaw.class);
    EvaluationConfig d = EvaluationConfig.defaults();
    if (r == null) {
      return d;
    }
    String select = s.oneOf(r.select(), Selection.VAL_ACC, Selection.KEYS, "evaluation.select");
    boolean test = r.test() == null || r.test();
    boolean statement = r.lossStatement() == null ? test : r.lossStatement();
    if (statement && !test) {
      throw s.error(
          "evaluation.loss_statement",
          "evaluation.loss_statement needs evaluation.test: true (the statement is computed on"
              + " the test split); set loss_statement: false or test: true");
    }
    int choices =
        (r.targetAccuracy() == null ? 0 : 1)
            + (r.cascadeBudget() == null ? 0 : 1)
            + (r.cascadeMaxDeferral() == null ? 0 : 1);
    if (choices > 1) {
      throw s.error(
          r.cascadeBudget() != null
              ? "evaluation.cascade_budget"
              : "evaluation.cascade_max_deferral",
          "evaluation: give at most one of target_accuracy, cascade_budget and"
              + " cascade_max_deferral (each alone chooses the cascade threshold τ), found "
              + choices);
    }
    List<String> targets = r.targets() == null ? List.of() : r.targets();
    for (int i = 0; i < targets.size(); i++) {
      String f = "evaluation.targets[" + i + "]";
      if (targets.get(i) == null) {
        throw s.error(f, f + " must be a target such as 'agreement >= 0.95', found null");
      }
      try {
        org.taqtir.core.eval.loss.Targets.parse(targets.get(i));
      } catch (IllegalArgumentException e) {
        throw s.error(f, f + ": " + e.getMessage());
      }
    }
    return new EvaluationConfig(
        test,
        select,
        statement,
        r.corruptions() == null ? d.corruptions() : r.corruptions(),
        r.corruptionSeed() == null ? d.corruptionSeed() : r.corruptionSeed(),
        s.intIn(r.bootstrap(), d.bootstrap(), Range.closed(100, 100_000), "evaluation.bootstrap"),
        s.oneOf(
            r.cascadeRule(),
            d.cascadeRule(),
            EvaluationConfig.CASCADE_RULES,
            "evaluation.cascade_rule"),
        r.targetAccuracy() == null
            ? Double.NaN
            : s.dblIn(r.targetAccuracy(), 0, Range.closed(0, 1), "evaluation.target_accuracy"),
        targets,
        r.failOnTargets() != null && r.failOnTargets(),
        r.cascadeBudget() == null
            ? Double.NaN
            : s.dblIn(r.cascadeBudget(), 0, POSITIVE, "evaluation.cascade_budget"),
        r.cascadeMaxDeferral() == null
            ? Double.NaN
            : s.dblIn(
                r.cascadeMaxDeferral(), 0, Range.closed(0, 1), "evaluation.cascade_max_deferral"));
  }
}
