package org.taqtir.core.train;

/** Receives progress while a model trains; implementations must be cheap. */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * Called before the first step of an epoch.
   *
   * @param epoch zero-based epoch
   * @param steps number of steps in this epoch
   */
  default void epochStarted(int epoch, int steps) {}

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
  default void checkpointSaved(int epoch, java.nio.file.Path file, double seconds) {}
}
