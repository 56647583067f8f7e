package org.taqtir.core.run;

/**
 * Receives the life of student runs as they happen, e.g. to record them in a run store. Every
 * method has an empty default; an observer must not throw (the pipeline logs and ignores its
 * failures, so a broken recorder never loses a training run).
 */
public interface RunObserver {

  /**
   * One student run starts.
   *
   * @param run what the run is
   */
  default void runStarted(RunStart run) {}

  /**
   * An epoch of a run finished.
   *
   * @param label the run's label
   * @param metrics the epoch's metrics
   */
  default void epochDone(String label, EpochMetrics metrics) {}

  /**
   * A run finished (or stopped, see {@link RunSummary#result()}).
   *
   * @param label the run's label
   * @param run the run's summary
   */
  default void runFinished(String label, RunSummary run) {}
}
