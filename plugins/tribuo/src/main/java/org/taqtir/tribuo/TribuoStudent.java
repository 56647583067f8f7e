package org.taqtir.tribuo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.taqtir.api.ClassicalStudent;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.TrainingData;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * A Tribuo learner as a {@link ClassicalStudent}: a classification trainer for {@link
 * Target#TEACHER_LABELS} (fitted to the true labels for the baseline, to the teacher's argmax
 * labels for distillation), or a multi-output regression trainer for {@link Target#TEACHER_LOGITS}
 * (fitted to the one-hot true labels for the baseline, to the teacher's logits for distillation;
 * the prediction is the argmax of the regressed logits).
 */
final class TribuoStudent implements ClassicalStudent {

  /** Builds the learner for a seed. */
  interface Trainers {
    Trainer<Label> classifier(long seed);

    Trainer<Regressor> regressor(long seed);
  }

  private final Target target;
  private final Trainers trainers;
  private final String description;
  private final int classes;
  private final Munge munge;

  TribuoStudent(Target target, Trainers trainers, String description, int classes, Munge munge) {
    this.target = target;
    this.trainers = trainers;
    this.description =
        munge.multiplier() == 0
            ? description
            : String.format(
                Locale.ROOT,
                "%s + MUNGE x%d (p %s, s %s)",
                description,
                munge.multiplier(),
                munge.swapProbability(),
                munge.spread());
    this.classes = classes;
    this.munge = munge;
  }

  /** The MUNGE parameters every Tribuo student takes. */
  static final ParamDef[] MUNGE_PARAMS = {
    ParamDef.ofInt(
        "munge",
        0,
        Range.atLeast(0),
        "MUNGE synthetic rows per training row labelled by the teacher (Bucilă et al. 2006); 0:"
            + " the training inputs only"),
    ParamDef.ofDouble(
        "munge_p", 0.5, Range.closed(0, 1), "MUNGE: probability of altering an attribute"),
    ParamDef.ofDouble("munge_s", 1.0, Range.greaterThan(0), "MUNGE: spread divisor s")
  };

  static Munge munge(Params p) {
    return new Munge(p.getInt("munge"), p.getDouble("munge_p"), p.getDouble("munge_s"));
  }

  @Override
  public Munge munge() {
    return munge;
  }

  @Override
  public Target target() {
    return target;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public FittedModel fit(TrainingData data, float[] teacherLogits, long seed) {
    String[] names = TribuoData.names(data.featureNames());
    int n = data.size();
    if (teacherLogits != null && teacherLogits.length != n * classes) {
      throw new IllegalArgumentException(
          "teacher logits have " + teacherLogits.length + " values for " + n + " x " + classes);
    }
    if (target == Target.TEACHER_LABELS) {
      int[] labels = teacherLogits == null ? data.labels() : argmax(teacherLogits, n, classes);
      Model<Label> m =
          trainers
              .classifier(seed)
              .train(TribuoData.labels(data.features(), data.featureSize(), names, labels));
      return new Fitted<>(m, new LabelFactory(), names, classes, false);
    }
    float[] y = teacherLogits == null ? oneHot(data.labels(), classes) : teacherLogits;
    Model<Regressor> m =
        trainers
            .regressor(seed)
            .train(TribuoData.targets(data.features(), data.featureSize(), names, y, classes));
    return new Fitted<>(m, new RegressionFactory(), names, classes, true);
  }

  static int[] argmax(float[] z, int n, int classes) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (z[i * classes + c] > z[i * classes + best]) {
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }

  static float[] oneHot(int[] labels, int classes) {
    float[] y = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      y[i * classes + labels[i]] = 1f;
    }
    return y;
  }

  private static final class Fitted<T extends Output<T>> implements FittedModel {
    private final Model<T> model;
    private final OutputFactory<T> factory;
    private final String[] names;
    private final int classes;
    private final boolean regression;

    Fitted(
        Model<T> model, OutputFactory<T> factory, String[] names, int classes, boolean regression) {
      this.model = model;
      this.factory = factory;
      this.names = names;
      this.classes = classes;
      this.regression = regression;
    }

    @Override
    @SuppressWarnings("unchecked")
    public float[] logits(float[] features, int rows) {
      List<Example<T>> examples = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        examples.add(TribuoData.example(factory, features, i, names.length, names));
      }
      List<Prediction<T>> predictions = model.predict(examples);
      float[] out = new float[rows * classes];
      for (int i = 0; i < rows; i++) {
        if (regression) {
          TribuoData.values((Prediction<Regressor>) predictions.get(i), out, i * classes, classes);
        } else {
          TribuoData.logProbabilities(
              (Prediction<Label>) predictions.get(i), out, i * classes, classes);
        }
      }
      return out;
    }

    @Override
    public long parameterCount() {
      return TribuoSize.parameters(model, classes);
    }

    @Override
    public String export() {
      if (!(model instanceof TreeModel<T> tree)) {
        return "";
      }
      StringBuilder sb = new StringBuilder();
      sb.append("# ")
          .append(model.getClass().getSimpleName())
          .append(", depth ")
          .append(tree.getDepth())
          .append(", ")
          .append(TribuoSize.parameters(model, classes))
          .append(" parameters\n")
          .append("# thresholds are in the model's input units (tables: standardised,")
          .append(" raw = mean + z * std from data-schema.json; one-hot columns are 0/1)\n");
      rules(tree.getRoot(), model.getFeatureIDMap(), "", sb);
      return sb.toString();
    }

    private void rules(
        Node<T> node, ImmutableFeatureMap features, String indent, StringBuilder sb) {
      if (node instanceof SplitNode<T> split) {
        String f = features.get(split.getFeatureID()).getName();
        String t = String.format(Locale.ROOT, "%.4f", split.splitValue());
        sb.append(indent).append("if ").append(f).append(" <= ").append(t).append(":\n");
        rules(split.getLessThanOrEqual(), features, indent + "  ", sb);
        sb.append(indent).append("else:  # ").append(f).append(" > ").append(t).append('\n');
        rules(split.getGreaterThan(), features, indent + "  ", sb);
      } else if (node instanceof LeafNode<T> leaf) {
        sb.append(indent).append("predict ").append(leafText(leaf)).append('\n');
      }
    }

    private String leafText(LeafNode<T> leaf) {
      T out = leaf.getOutput();
      if (out instanceof Regressor r) {
        StringBuilder sb = new StringBuilder("logits [");
        int best = 0;
        for (int c = 0; c < classes; c++) {
          double v = r.getDimension("z" + c).orElseThrow().getValue();
          if (v > r.getDimension("z" + best).orElseThrow().getValue()) {
            best = c;
          }
          sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return "class " + best + " (" + sb + "])";
      }
      Label l = (Label) out;
      return "class " + l.getLabel() + String.format(Locale.ROOT, " (p = %.3f)", l.getScore());
    }
  }
}
