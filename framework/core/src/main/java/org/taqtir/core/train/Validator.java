package org.taqtir.core.train;

import java.util.Map;

/**
 * Scores a model on the validation split after every epoch; the task supplies it (classification:
 * cross-entropy and accuracy of the logits; language modelling: cross-entropy and accuracy per
 * token).
 */
@FunctionalInterface
public interface Validator {

  /**
   * Scores the model as it is now, in inference mode.
   *
   * @param model the student
   * @return the scores
   */
  Scores validate(StudentModel model);

  /**
   * What a validation pass measured.
   *
   * @param loss the task's loss on the split
   * @param accuracy top-1 accuracy on the split
   * @param extras further metrics by key (e.g. {@code val_bpc}), may be empty
   */
  record Scores(double loss, double accuracy, Map<String, Double> extras) {

    /** Copies the extras. */
    public Scores {
      extras = Map.copyOf(extras);
    }
  }
}
