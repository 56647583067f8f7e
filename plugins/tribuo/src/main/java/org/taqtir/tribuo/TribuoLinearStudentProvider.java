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
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * {@code tribuo-linear}: a linear student fitted by Tribuo's SGD (AdaGrad, learning rate 0.1)
 * outside the DJL loop.
 *
 * <ul>
 *   <li>{@code target: logits} (default): multi-output linear regression with squared loss on the
 *       teacher's logits, one output per class (Ba &amp; Caruana 2014); prediction = argmax of the
 *       regressed logits; the baseline fits the one-hot labels.
 *   <li>{@code target: labels}: multinomial logistic regression on the teacher's argmax labels
 *       (Bucilă et al. 2006); the baseline fits the true labels.
 * </ul>
 */
public final class TribuoLinearStudentProvider implements StudentProvider {

  private static final ParamSpec SPEC =
      ParamSpec.of(
          ParamDef.ofInt("epochs", 30, Range.atLeast(1), "SGD epochs"),
          ParamDef.ofDouble("lr", 0.1, Range.greaterThan(0), "AdaGrad learning rate"),
          ParamDef.ofChoice(
              "target",
              "logits",
              List.of("labels", "logits"),
              "regress the teacher's logits or classify its argmax labels"),
          TribuoStudent.MUNGE_PARAMS[0],
          TribuoStudent.MUNGE_PARAMS[1],
          TribuoStudent.MUNGE_PARAMS[2]);

  @Override
  public String id() {
    return "tribuo-linear";
  }

  @Override
  public ParamSpec params() {
    return SPEC;
  }

  @Override
  public String description() {
    return "linear model fitted by Tribuo SGD to the teacher's logits (regression) or labels"
        + " (logistic); not trained by the DJL loop";
  }

  @Override
  public String paper() {
    return "Ba & Caruana, Do deep nets really need to be deep?, NeurIPS 2014; Bucilă et al. 2006";
  }

  @Override
  public String formula() {
    return "logits: min_W sum_i ||W [x_i; 1] - z_teacher,i||^2; labels: logistic regression on"
        + " argmax z_teacher";
  }

  @Override
  public Student create(Params params, ModelShape shape) {
    int epochs = params.getInt("epochs");
    double lr = params.getDouble("lr");
    boolean logits = params.getString("target").equals("logits");
    return new TribuoStudent(
        logits ? ClassicalStudent.Target.TEACHER_LOGITS : ClassicalStudent.Target.TEACHER_LABELS,
        new TribuoStudent.Trainers() {
          @Override
          public org.tribuo.Trainer<org.tribuo.classification.Label> classifier(long seed) {
            return new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
                new LogMulticlass(), new AdaGrad(lr, 0.1), epochs, seed);
          }

          @Override
          public org.tribuo.Trainer<org.tribuo.regression.Regressor> regressor(long seed) {
            return new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                new SquaredLoss(), new AdaGrad(lr, 0.1), epochs, seed);
          }
        },
        String.format(
            Locale.ROOT,
            "tribuo linear (%s, %d epochs)",
            logits ? "regresses logits" : "logistic on labels",
            epochs),
        shape.numClasses(),
        TribuoStudent.munge(params));
  }
}
