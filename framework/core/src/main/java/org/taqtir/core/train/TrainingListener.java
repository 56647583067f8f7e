package org.taqtir.core.train;

import java.nio.file.Path;
import java.util.Map;
import org.taqtir.core.run.EpochMetrics;

/**
 * Receives a training's events, as DJL's {@code TrainingListener} does: the loop is the same for
 * every run, and what varies (best-epoch selection, checkpoints, the divergence guard, the trace,
 * progress, tracking) is a listener on its list ({@link Trainer#listeners}). Every method has an
 * empty default; the cheap progress methods ({@link #epochStarted}, {@link #stepDone}, {@link
 * #epochDone}, {@link #checkpointSaved}) are all a progress display needs.
 *
 * <p>Listeners are called in list order. The ones that take a {@link TrainingRun} may read and
 * change the loop's state (restore it from a checkpoint, stop the run); they run on the training
 * thread, outside any gradient collector, except {@link #beforeUpdate}.
 */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * Called once the model, the terms and the optimiser are ready, before the first epoch (a
   * checkpoint is restored here, so {@link TrainingRun#nextEpoch()} may be past 0 afterwards).
   *
   * @param run the loop's state
   */
  default void trainingStarted(TrainingRun run) {}

  /**
   * Called before the first step of an epoch.
   *
   * @param epoch zero-based epoch
   * @param steps number of steps in this epoch
   */
  default void epochStarted(int epoch, int steps) {}

  /**
   * Called when an epoch's data order is drawn.
   *
   * @param run the loop's state
   * @param permutation the order of the training samples this epoch (do not modify)
   */
  default void orderDrawn(TrainingRun run, int[] permutation) {}

  /**
   * Called after a step's backward pass and before its optimiser update; throwing {@link
   * DivergedException} stops the run without applying the update.
   *
   * @param run the loop's state
   * @param loss the step's loss
   */
  default void beforeUpdate(TrainingRun run, double loss) {}

  /**
   * Called after each optimisation step.
   *
   * @param epoch zero-based epoch
   * @param step zero-based step within the epoch
   * @param loss the step's loss
   * @param samplesPerSecond throughput since the epoch started
   */
  default void stepDone(int epoch, int step, double loss, double samplesPerSecond) {}

  /**
   * Called after an epoch's validation, with the loop's state; by default passes the metrics to
   * {@link #epochDone}.
   *
   * @param run the loop's state (a listener may {@link TrainingRun#stop} it)
   * @param metrics the epoch's metrics, already in the run's history
   */
  default void epochEnded(TrainingRun run, EpochMetrics metrics) {
    epochDone(metrics);
  }

  /**
   * Called after an epoch's validation.
   *
   * @param metrics the epoch's metrics
   */
  default void epochDone(EpochMetrics metrics) {}

  /**
   * Called after an epoch's checkpoint was written (after {@link #epochDone}).
   *
   * @param epoch zero-based epoch the checkpoint ends with
   * @param file the checkpoint file
   * @param seconds time spent writing it
   */
  default void checkpointSaved(int epoch, Path file, double seconds) {}

  /**
   * Called after the last epoch, once the selected epoch's weights are back in the model.
   *
   * @param run the loop's state
   */
  default void trainingFinished(TrainingRun run) {}

  /**
   * Called when the task has evaluated the selected weights (on the test split).
   *
   * @param run the loop's state
   * @param metrics the test metrics by key, e.g. {@code test/acc}
   */
  default void evaluated(TrainingRun run, Map<String, Double> metrics) {}
}
