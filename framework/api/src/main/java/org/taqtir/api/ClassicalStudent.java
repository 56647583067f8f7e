package org.taqtir.api;

import ai.djl.nn.Block;
import java.util.List;

/**
 * A student fitted by a classical learner (a Tribuo decision tree or linear model) instead of
 * trained by the DJL loop. The core fits it twice per seed: once on the true labels (the baseline
 * of the same model) and once from the teacher's training-split outputs, as {@link #target()} says,
 * so the study's distillation strategies do not apply to it.
 *
 * <p>Its {@link #block()} does not exist; the core recognises this interface and takes the fitting
 * path.
 */
public interface ClassicalStudent extends Student {

  /** What the student is fitted to when it learns from the teacher. */
  enum Target {
    /**
     * The teacher's argmax labels over the transfer set (model compression, Bucilă, Caruana,
     * Niculescu-Mizil 2006); the baseline fits the true labels.
     */
    TEACHER_LABELS,
    /**
     * The teacher's logits, one regression output per class (Ba &amp; Caruana 2014 regress logits
     * with an L2 loss); the prediction is the argmax of the regressed logits. The baseline fits the
     * one-hot true labels with the same regressor.
     */
    TEACHER_LOGITS
  }

  /**
   * Returns what this student is fitted to when it learns from the teacher.
   *
   * @return the target kind
   */
  Target target();

  /**
   * Fits the model.
   *
   * @param data the training split (the transfer set)
   * @param teacherLogits the teacher's logits on {@code data}, row-major {@code (N, classes)}; or
   *     {@code null} to fit the true labels (the baseline)
   * @param seed the run's seed
   * @return the fitted model
   */
  FittedModel fit(TrainingData data, float[] teacherLogits, long seed);

  /**
   * Returns how the transfer set is enlarged with synthetic samples that the teacher labels, for
   * the fit from the teacher only (synthetic samples have no true label, so the baseline never sees
   * them).
   *
   * @return the MUNGE settings; {@link Munge#NONE} (the default) for the training inputs alone
   */
  default Munge munge() {
    return Munge.NONE;
  }

  /**
   * MUNGE (Bucilă, Caruana, Niculescu-Mizil 2006, section 3.3): {@code multiplier} passes over the
   * training rows; in each, every row and its nearest neighbour exchange each attribute with
   * probability {@code swapProbability}, a continuous attribute being drawn from a normal around
   * the other's value with standard deviation {@code |a − b| / spread}.
   *
   * @param multiplier synthetic rows per training row; 0 for none
   * @param swapProbability the paper's p, in [0, 1]
   * @param spread the paper's s, {@code > 0}
   */
  record Munge(int multiplier, double swapProbability, double spread) {

    /** No synthetic samples. */
    public static final Munge NONE = new Munge(0, 0.5, 1.0);
  }

  /**
   * Classical students have no DJL block.
   *
   * @return never
   * @throws UnsupportedOperationException always
   */
  @Override
  default Block block() {
    throw new UnsupportedOperationException(describe() + " is fitted by its own learner");
  }

  /**
   * Classical students expose no feature taps.
   *
   * @return an empty list
   */
  @Override
  default List<String> taps() {
    return List.of();
  }

  /** A fitted classical model. */
  interface FittedModel {

    /**
     * Predicts logits (scores whose argmax is the predicted class).
     *
     * @param features row-major {@code (rows, featureSize)} values
     * @param rows number of rows
     * @return row-major {@code (rows, classes)} logits; for a model that gives probabilities, their
     *     logarithm
     */
    float[] logits(float[] features, int rows);

    /**
     * Returns the number of fitted scalars: for a tree, 2 per split (feature, threshold) plus the
     * output values of every leaf; for a linear model, its weights and biases.
     *
     * @return the parameter count
     */
    long parameterCount();

    /**
     * Returns the model in readable form (a tree's rules), empty when it has none.
     *
     * @return text, possibly multi-line
     */
    default String export() {
      return "";
    }
  }
}
