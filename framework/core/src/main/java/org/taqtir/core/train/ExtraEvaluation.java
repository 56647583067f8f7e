package org.taqtir.core.train;

import java.util.Map;
import org.taqtir.core.data.Dataset;

/**
 * What to evaluate besides validation and test once the best epoch is restored.
 *
 * @param shifted named shifted test sets (e.g. corruptions) to compute logits on
 * @param latency whether to measure CPU latency at batch 1 and 256
 */
public record ExtraEvaluation(Map<String, Dataset> shifted, boolean latency) {

  /** Nothing extra. */
  public static final ExtraEvaluation NONE = new ExtraEvaluation(Map.of(), false);

  /** Copies the map. */
  public ExtraEvaluation {
    shifted = Map.copyOf(shifted);
  }

  /**
   * The extra outputs of a run.
   *
   * @param valLogits the best model's validation logits, row-major {@code (N, classes)}
   * @param shiftedLogits logits per shifted set name
   * @param latencyBatch1Ms median wall time of one inference forward pass on 1 sample, NaN if not
   *     measured
   * @param latencyBatch256Ms median wall time of one forward pass on 256 samples, NaN if not
   *     measured
   * @param seconds wall time of this extra evaluation
   */
  public record Outputs(
      float[] valLogits,
      Map<String, float[]> shiftedLogits,
      double latencyBatch1Ms,
      double latencyBatch256Ms,
      double seconds) {

    /** Copies the map. */
    public Outputs {
      shiftedLogits = Map.copyOf(shiftedLogits);
    }
  }
}
