package org.taqtir.core.train;

import org.taqtir.core.run.EpochMetrics;

/**
 * Stops a run whose step loss or validation loss is not finite: a step's update is never applied
 * from a NaN or infinite loss ({@link DivergedException} before the optimiser), and an epoch whose
 * validation loss is not finite ends the run unselected.
 */
final class DivergenceGuard implements TrainingListener {

  @Override
  public void beforeUpdate(TrainingRun run, double loss) {
    if (!Double.isFinite(loss)) {
      throw new DivergedException(run.nextEpoch(), run.globalStep(), loss, run.lastFiniteLoss());
    }
  }

  @Override
  public void epochEnded(TrainingRun run, EpochMetrics metrics) {
    if (!Double.isFinite(metrics.valLoss())) {
      run.stop(
          "validation loss is "
              + metrics.valLoss()
              + " after epoch "
              + (metrics.epoch() + 1)
              + "; stopped");
    }
  }
}
