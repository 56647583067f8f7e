package org.taqtir.tribuo;

import java.util.List;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * Conversions between Taqtir's row-major float features and Tribuo's examples. Classes are Tribuo
 * labels named by their index ({@code "0"}, {@code "1"}, ...); logit targets are regressors with
 * one dimension per class, named {@code z0}, {@code z1}, ...
 */
final class TribuoData {

  /**
   * Tribuo logs every SGD epoch and data summary at INFO through java.util.logging; Taqtir prints
   * its own one-line summary per fit, so Tribuo's loggers are set to WARNING (a strong reference
   * keeps the setting).
   */
  private static final java.util.logging.Logger QUIET = quiet();

  private TribuoData() {}

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger("org.tribuo");
    l.setLevel(java.util.logging.Level.WARNING);
    return l;
  }

  static java.util.logging.Logger quietLogger() {
    return QUIET;
  }

  static String[] names(List<String> featureNames) {
    return featureNames.toArray(String[]::new);
  }

  static double[] row(float[] x, int i, int width) {
    double[] v = new double[width];
    for (int j = 0; j < width; j++) {
      v[j] = x[i * width + j];
    }
    return v;
  }

  /** A classification data set of the given labels. */
  static MutableDataset<Label> labels(float[] x, int width, String[] names, int[] labels) {
    LabelFactory f = new LabelFactory();
    MutableDataset<Label> ds =
        new MutableDataset<>(new SimpleDataSourceProvenance("taqtir-train", f), f);
    for (int i = 0; i < labels.length; i++) {
      ds.add(new ArrayExample<>(new Label(Integer.toString(labels[i])), names, row(x, i, width)));
    }
    return ds;
  }

  /** A regression data set with one output dimension per class. */
  static MutableDataset<Regressor> targets(
      float[] x, int width, String[] names, float[] targets, int classes) {
    RegressionFactory f = new RegressionFactory();
    MutableDataset<Regressor> ds =
        new MutableDataset<>(new SimpleDataSourceProvenance("taqtir-train", f), f);
    String[] dims = dims(classes);
    int n = targets.length / classes;
    for (int i = 0; i < n; i++) {
      double[] y = new double[classes];
      for (int c = 0; c < classes; c++) {
        y[c] = targets[i * classes + c];
      }
      ds.add(new ArrayExample<>(new Regressor(dims, y), names, row(x, i, width)));
    }
    return ds;
  }

  static String[] dims(int classes) {
    String[] d = new String[classes];
    for (int c = 0; c < classes; c++) {
      d[c] = "z" + c;
    }
    return d;
  }

  /** An unlabelled example for prediction. */
  static <T extends Output<T>> Example<T> example(
      OutputFactory<T> factory, float[] x, int i, int width, String[] names) {
    return new ArrayExample<>(factory.getUnknownOutput(), names, row(x, i, width));
  }

  /**
   * Log-probabilities of a classification prediction, by class index; a class the model never saw,
   * or whose probability is 0, gets {@code log(FLOOR)}.
   */
  static void logProbabilities(Prediction<Label> p, float[] out, int off, int classes) {
    for (int c = 0; c < classes; c++) {
      Label l = p.getOutputScores().get(Integer.toString(c));
      double prob = l == null ? 0 : l.getScore();
      out[off + c] = (float) Math.log(Math.max(prob, FLOOR));
    }
  }

  /** The values of a regression prediction, by class index. */
  static void values(Prediction<Regressor> p, float[] out, int off, int classes) {
    Regressor r = p.getOutput();
    for (int c = 0; c < classes; c++) {
      out[off + c] = (float) r.getDimension("z" + c).orElseThrow().getValue();
    }
  }

  /**
   * Probability floor before the logarithm: a tree ensemble gives exact zeros (no vote, empty
   * leaf), whose logarithm would be −∞ and make the KD losses NaN; {@code log(1e-6) ≈ −13.8}.
   */
  static final double FLOOR = 1e-6;
}
