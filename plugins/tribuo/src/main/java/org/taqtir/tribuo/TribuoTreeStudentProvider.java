package org.taqtir.tribuo;

import java.util.List;
import java.util.Locale;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamDef;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.Student;
import org.taqtir.api.StudentProvider;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.regression.rtree.CARTJointRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * {@code tribuo-tree}: an interpretable decision-tree student (CART, Breiman et al. 1984) fitted by
 * Tribuo outside the DJL loop; its rules are written to the run's {@code model.txt}.
 *
 * <ul>
 *   <li>{@code target: labels} (default): a classification tree (Gini impurity) fitted to the
 *       teacher's argmax labels over the transfer set, the training inputs (model compression,
 *       Bucilă, Caruana, Niculescu-Mizil 2006, without their MUNGE synthetic samples); the baseline
 *       is the same tree fitted to the true labels.
 *   <li>{@code target: logits}: one joint regression tree (mean squared error over all outputs,
 *       each leaf holds a logit vector) fitted to the teacher's logits (Ba &amp; Caruana 2014's L2
 *       logit regression); prediction = argmax of the leaf's logits; the baseline fits the one-hot
 *       labels.
 * </ul>
 *
 * Defaults: {@code max_depth} 4 (at most 16 leaves, readable), {@code min_child_weight} 5.
 */
public final class TribuoTreeStudentProvider implements StudentProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofInt("max_depth", 4, Range.atLeast(1), "maximum tree depth"),
          ParamDef.ofDouble(
              "min_child_weight", 5, Range.greaterThan(0), "minimum samples in a leaf"),
          ParamDef.ofChoice(
              "target",
              "labels",
              List.of("labels", "logits"),
              "fit the teacher's argmax labels (classification tree) or its logits (joint"
                  + " regression tree)"),
          TribuoStudent.MUNGE_PARAMS[0],
          TribuoStudent.MUNGE_PARAMS[1],
          TribuoStudent.MUNGE_PARAMS[2]);

  @Override
  public String id() {
    return "tribuo-tree";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "interpretable CART decision tree fitted by Tribuo to the teacher's labels or logits"
        + " (not trained by the DJL loop; strategies do not apply)";
  }

  @Override
  public String paper() {
    return "Bucilă, Caruana, Niculescu-Mizil, Model compression, KDD 2006; Breiman et al., CART"
        + " 1984";
  }

  @Override
  public String formula() {
    return "labels: tree = CART_gini(x, argmax z_teacher); logits: tree = CART_mse(x, z_teacher),"
        + " y_hat = argmax leaf(x)";
  }

  @Override
  public Student create(Params params, ModelShape shape) {
    int depth = params.getInt("max_depth");
    float minChild = (float) params.getDouble("min_child_weight");
    boolean logits = params.getString("target").equals("logits");
    return new TribuoStudent(
        logits ? ClassicalStudent.Target.TEACHER_LOGITS : ClassicalStudent.Target.TEACHER_LABELS,
        new TribuoStudent.Trainers() {
          @Override
          public org.tribuo.Trainer<org.tribuo.classification.Label> classifier(long seed) {
            return new CARTClassificationTrainer(
                depth, minChild, 0f, 1f, false, new GiniIndex(), seed);
          }

          @Override
          public org.tribuo.Trainer<org.tribuo.regression.Regressor> regressor(long seed) {
            return new CARTJointRegressionTrainer(
                depth, minChild, 0f, 1f, false, new MeanSquaredError(), false, seed);
          }
        },
        String.format(
            Locale.ROOT,
            "tribuo tree depth<=%d (%s)",
            depth,
            logits ? "regresses logits" : "classifies labels"),
        shape.numClasses(),
        TribuoStudent.munge(params));
  }
}
