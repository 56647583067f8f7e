package org.taqtir.core.eval;

import java.util.Arrays;

/** Wall-clock latency measurement: the median of repeated runs after a warm-up. */
public final class Latency {

  private Latency() {}

  /**
   * Runs an action {@code warmup} times unmeasured, then {@code reps} times measured.
   *
   * @param warmup unmeasured runs (JIT, allocator and thread-pool warm-up)
   * @param reps measured runs, at least 1
   * @param action the work to time; it must read its result back (e.g. to a Java array) so that
   *     asynchronous work is included
   * @return the median wall time in milliseconds
   */
  public static double medianMs(int warmup, int reps, Runnable action) {
    for (int i = 0; i < warmup; i++) {
      action.run();
    }
    double[] times = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      action.run();
      times[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(times);
    return reps % 2 == 1 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
  }
}
