package org.taqtir.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One training measured on one stack: its per-epoch seconds (the training loop only, from the
 * epoch's data gather to its last update; validation excluded on both stacks), the selected epoch's
 * test accuracy, the process's peak resident memory, and the first epoch's mean loss (both stacks
 * start from the same weights and batches, so these agree closely when the losses are the same).
 *
 * @param workload the workload's name
 * @param stack {@code taqtir} or {@code pytorch}
 * @param round the interleaved round, from 1
 * @param epochSeconds seconds of every epoch, in order
 * @param firstLoss the first epoch's mean training loss
 * @param testAccuracy the selected epoch's test accuracy, in [0, 1]
 * @param peakRssMb the process's peak resident set, MB
 * @param wallSeconds the whole process, start to exit
 */
record Measurement(
    String workload,
    String stack,
    int round,
    double[] epochSeconds,
    double firstLoss,
    double testAccuracy,
    double peakRssMb,
    double wallSeconds) {

  /** The first epoch's seconds. */
  double firstEpoch() {
    return epochSeconds[0];
  }

  /** The median of the epochs after the first (the first alone when there is one epoch). */
  double steadyEpoch() {
    if (epochSeconds.length == 1) {
      return epochSeconds[0];
    }
    return median(Arrays.copyOfRange(epochSeconds, 1, epochSeconds.length));
  }

  /**
   * Returns the median; the mean of the two middle values for an even count.
   *
   * @param values at least one value (not modified)
   * @return the median
   */
  static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /** Median of one figure over measurements. */
  static double median(List<Measurement> ms, java.util.function.ToDoubleFunction<Measurement> f) {
    List<Double> values = new ArrayList<>();
    for (Measurement m : ms) {
      values.add(f.applyAsDouble(m));
    }
    return median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
