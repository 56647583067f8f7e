package org.taqtir.tribuo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.taqtir.api.AbstractPlugin;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.PluginInfo;
import org.taqtir.api.Range;
import org.taqtir.api.Teacher;
import org.taqtir.api.TeacherContext;
import org.taqtir.api.TeacherProvider;
import org.taqtir.api.TrainingData;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * {@code tribuo}: a classical classifier trained by Tribuo 4.3 on the study's training split when
 * the study starts, then frozen and used as the teacher.
 *
 * <p>Models ({@code model}):
 *
 * <ul>
 *   <li>{@code xgboost} (default): gradient-boosted trees (Chen &amp; Guestrin 2016) through
 *       Tribuo's XGBoost back-end (xgboost4j 1.6.2, whose native library ships in its jar and loads
 *       offline); {@code trees} rounds, {@code max_depth}, {@code eta}, subsample 1, one thread (so
 *       a seed gives the same model);
 *   <li>{@code random-forest}: {@code trees} CART trees (Breiman 2001) on bootstrap samples, each
 *       split drawing {@code feature_fraction} of the features, combined by averaging the members'
 *       leaf class distributions ({@code FullyWeightedVotingCombiner});
 *   <li>{@code linear}: multinomial logistic regression by SGD with AdaGrad ({@code epochs}).
 * </ul>
 *
 * <p>Outputs: the models give class probabilities; their logarithms serve as logits, {@code z =
 * log(max(p, 1e-6))} (softmax(log p) = p up to the floor). For {@code linear}, log-softmax equals
 * the model's real logits up to a per-row constant, which neither softmax nor argmax sees.
 *
 * <p>Fingerprint: SHA-256 of the model kind, every parameter, the seed and the training split's
 * content hash, so another split or setting never reuses cached outputs. No feature taps: feature
 * and relation strategies are refused at configuration time.
 */
public final class TribuoTeacherProvider extends AbstractPlugin implements TeacherProvider {

  /** Registers the provider. */
  public TribuoTeacherProvider() {
    super(
        PluginInfo.of("tribuo")
            .withParams(
                ParamDef.ofChoice(
                    "model",
                    "xgboost",
                    List.of("xgboost", "random-forest", "linear"),
                    "the Tribuo model trained on the training split"),
                ParamDef.ofInt("trees", 100, Range.atLeast(1), "boosting rounds or forest members"),
                ParamDef.ofInt("max_depth", 4, Range.atLeast(1), "maximum tree depth"),
                ParamDef.ofDouble("eta", 0.1, Range.greaterThan(0), "xgboost learning rate"),
                ParamDef.ofDouble(
                    "feature_fraction",
                    0.5,
                    Range.closed(0.01, 1),
                    "random-forest: fraction of features drawn per split"),
                ParamDef.ofInt("epochs", 30, Range.atLeast(1), "linear: SGD epochs"),
                ParamDef.ofInt("seed", 1, Range.ANY, "seed of the learner"))
            .withDescription(
                "a Tribuo classifier (XGBoost, random forest or logistic regression) trained on the"
                    + " study's training split when the study starts; logits only, no feature taps")
            .withFormula(
                "z = log(max(p_model(x), 1e-6)), p_model trained on the training split by Tribuo")
            .withPaper(
                "Tribuo (Pocock 2021, arXiv:2110.03022); XGBoost (Chen & Guestrin, KDD 2016); random"
                    + " forests (Breiman, Machine Learning 2001)"));
  }

  @Override
  public Teacher create(Params params, TeacherContext context) {
    TrainingData data = context.trainingData();
    if (data == null) {
      throw new IllegalArgumentException(
          "tribuo: this teacher is trained on the study's training split, which the core gives"
              + " only for tabular data (data.source: csv)");
    }
    String model = params.getString("model");
    int trees = params.getInt("trees");
    int depth = params.getInt("max_depth");
    long seed = params.getInt("seed");
    Trainer<Label> trainer =
        switch (model) {
          case "xgboost" ->
              new XGBoostClassificationTrainer(
                  trees, params.getDouble("eta"), 0, depth, 1, 1, 1, 1, 0, 1, true, seed);
          case "random-forest" ->
              new RandomForestTrainer<>(
                  new CARTClassificationTrainer(
                      depth,
                      1f,
                      0f,
                      (float) params.getDouble("feature_fraction"),
                      false,
                      new GiniIndex(),
                      seed),
                  new FullyWeightedVotingCombiner(),
                  trees,
                  seed);
          case "linear" ->
              new LinearSGDTrainer(
                  new LogMulticlass(), new AdaGrad(0.1, 0.1), params.getInt("epochs"), seed);
          default -> throw new IllegalArgumentException("tribuo: unknown model " + model);
        };
    String config =
        String.format(
            Locale.ROOT,
            "model=%s;trees=%d;max_depth=%d;eta=%s;feature_fraction=%s;epochs=%d;seed=%d",
            model,
            trees,
            depth,
            params.getDouble("eta"),
            params.getDouble("feature_fraction"),
            params.getInt("epochs"),
            seed);
    String[] names = TribuoData.names(data.featureNames());
    long start = System.nanoTime();
    Model<Label> fitted =
        trainer.train(TribuoData.labels(data.features(), data.featureSize(), names, data.labels()));
    double seconds = (System.nanoTime() - start) / 1e9;
    String describe =
        switch (model) {
          case "xgboost" ->
              String.format(
                  Locale.ROOT,
                  "tribuo xgboost %d trees depth<=%d eta %s",
                  trees,
                  depth,
                  params.getDouble("eta"));
          case "random-forest" ->
              String.format(Locale.ROOT, "tribuo random forest %d trees depth<=%d", trees, depth);
          default ->
              String.format(
                  Locale.ROOT, "tribuo logistic regression (%d epochs)", params.getInt("epochs"));
        };
    return new TribuoTeacher(
        fitted,
        names,
        context.shape().numClasses(),
        sha256(config + ";data=" + data.hash()),
        String.format(
            Locale.ROOT, "%s, fitted on %d rows in %.2f s", describe, data.size(), seconds),
        TribuoSize.parameters(fitted, context.shape().numClasses()));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
