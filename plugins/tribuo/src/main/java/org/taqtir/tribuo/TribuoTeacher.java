package org.taqtir.tribuo;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.taqtir.api.AbstractTeacher;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.StepOutputs;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/** A fitted Tribuo classifier as a frozen teacher: log-probabilities as logits, no taps. */
final class TribuoTeacher extends AbstractTeacher {

  private static final LabelFactory FACTORY = new LabelFactory();

  private final Model<Label> model;
  private final String[] names;
  private final int classes;
  private final long parameters;

  TribuoTeacher(
      Model<Label> model,
      String[] names,
      int classes,
      String fingerprint,
      String description,
      long parameters) {
    super("tribuo", fingerprint, description);
    this.model = model;
    this.names = names;
    this.classes = classes;
    this.parameters = parameters;
  }

  /**
   * Log-probabilities of rows.
   *
   * @param x row-major features
   * @param rows number of rows
   * @return row-major {@code (rows, classes)}
   */
  float[] logits(float[] x, int rows) {
    int width = names.length;
    float[] out = new float[rows * classes];
    List<Example<Label>> examples = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      examples.add(TribuoData.example(FACTORY, x, i, width, names));
    }
    List<Prediction<Label>> predictions = model.predict(examples);
    for (int i = 0; i < rows; i++) {
      TribuoData.logProbabilities(predictions.get(i), out, i * classes, classes);
    }
    return out;
  }

  @Override
  protected StepOutputs run(NDArray input, SampleRefs samples, Set<String> taps) {
    int rows = (int) input.getShape().get(0);
    if (input.getShape().size() != (long) rows * names.length) {
      throw new IllegalArgumentException(
          "tribuo: the model was fitted on "
              + names.length
              + " features per sample, the input has shape "
              + input.getShape());
    }
    return logits(input, logits(input.toFloatArray(), rows), classes);
  }

  @Override
  public long parameterCount() {
    return parameters;
  }

  @Override
  public void close() {
    // a Tribuo model holds no native memory that needs releasing (XGBoost's booster is freed by
    // its own finaliser)
  }
}
