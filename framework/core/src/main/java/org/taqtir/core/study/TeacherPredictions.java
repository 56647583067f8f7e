package org.taqtir.core.study;

import java.util.Map;

/**
 * The teacher's outputs and costs that the evaluation compares students with.
 *
 * @param valLogits validation logits, row-major {@code (N, classes)}
 * @param testLogits test logits
 * @param shiftedLogits logits per shifted test set name
 * @param latencyBatch1Ms median inference time for one sample
 * @param latencyBatch256Ms median inference time for 256 samples
 * @param parameterCount the teacher's parameter count, -1 when unknown
 */
public record TeacherPredictions(
    float[] valLogits,
    float[] testLogits,
    Map<String, float[]> shiftedLogits,
    double latencyBatch1Ms,
    double latencyBatch256Ms,
    long parameterCount) {

  /** Copies the map. */
  public TeacherPredictions {
    shiftedLogits = Map.copyOf(shiftedLogits);
  }
}
