package org.taqtir.core.train;

import org.taqtir.core.run.EpochMetrics;

/**
 * Keeps the weights of the epoch with the best validation metric ({@link TrainingRun#selection()};
 * the first such epoch on ties); the loop puts them back into the model when training ends.
 */
final class BestEpoch implements TrainingListener {

  @Override
  public void epochEnded(TrainingRun run, EpochMetrics metrics) {
    if (run.stopped()) {
      return;
    }
    double value = run.selection().value(metrics);
    if (run.selection().better(value, run.bestValue())) {
      run.select(metrics.epoch(), value, run.model().snapshot());
    }
  }
}
