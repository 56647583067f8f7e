package org.taqtir.core.eval;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's predictions on the evaluation splits and what it costs to compute them: the one record
 * the evaluation reads for the teacher and for every student.
 *
 * @param valLogits validation logits, row-major {@code (N, classes)}
 * @param testLogits test logits, row-major {@code (N, classes)}; empty when not evaluated
 * @param shiftedLogits logits per shifted test set name (e.g. corruptions), possibly empty; kept
 *     sorted by name, so everything computed over them (and every table listing them) comes in the
 *     same order in every run
 * @param latencyBatch1Ms median wall time of one inference forward pass on 1 sample, NaN if not
 *     measured
 * @param latencyBatch256Ms median wall time of one forward pass on 256 samples, NaN if not measured
 * @param parameterCount the model's trainable scalars, -1 when unknown
 * @param seconds wall time spent computing these outputs (for a student, beyond the test logits)
 */
public record ModelOutputs(
    float[] valLogits,
    float[] testLogits,
    Map<String, float[]> shiftedLogits,
    double latencyBatch1Ms,
    double latencyBatch256Ms,
    long parameterCount,
    double seconds)
    implements RunOutputs {

  /** Copies the map, sorted by name. */
  public ModelOutputs {
    shiftedLogits = Collections.unmodifiableMap(new TreeMap<>(shiftedLogits));
  }
}
