package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.run.EpochMetrics;

/**
 * The state of one training loop, as its listeners see it: what is fixed for the run (seed,
 * settings, model, trainable arrays) and what advances (next epoch, global step, history, the
 * selected epoch). Listeners that restore or select (checkpoints, best-epoch selection) write it;
 * the loop reads it between epochs. Not thread-safe: the training thread owns it.
 */
public final class TrainingRun {

  private final long seed;
  private final TrainingConfig config;
  private final int samples;
  private final int steps;
  private final StudentModel model;
  private final List<NDArray> trainable;
  private final ParamOptimizer optimizer;
  private final Objective objective;
  private final Selection selection;
  private final SplittableRandom order;

  private int nextEpoch;
  private long globalStep;
  private double trainSeconds;
  private double lastFiniteLoss = Double.NaN;
  private final List<EpochMetrics> history = new ArrayList<>();
  private int bestEpoch = -1;
  private double bestValue;
  private float[][] bestWeights;
  private String error;
  private List<TrainingListener> listeners = List.of();

  TrainingRun(
      long seed,
      TrainingConfig config,
      int samples,
      int steps,
      StudentModel model,
      List<NDArray> trainable,
      ParamOptimizer optimizer,
      Objective objective,
      Selection selection) {
    this.seed = seed;
    this.config = config;
    this.samples = samples;
    this.steps = steps;
    this.model = model;
    this.trainable = trainable;
    this.optimizer = optimizer;
    this.objective = objective;
    this.selection = selection;
    this.bestValue = selection.worst();
    this.order = new SplittableRandom(seed);
  }

  /**
   * Returns the run's seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns the training settings.
   *
   * @return epochs, batch size, optimiser, schedule
   */
  public TrainingConfig config() {
    return config;
  }

  /**
   * Returns the number of training samples.
   *
   * @return N
   */
  public int samples() {
    return samples;
  }

  /**
   * Returns the number of steps per epoch.
   *
   * @return steps
   */
  public int steps() {
    return steps;
  }

  /**
   * Returns the student's model.
   *
   * @return the model
   */
  public StudentModel model() {
    return model;
  }

  /**
   * Returns every array the optimiser updates: the student's parameters, then the strategies'.
   *
   * @return the arrays (do not close)
   */
  public List<NDArray> trainable() {
    return trainable;
  }

  ParamOptimizer optimizer() {
    return optimizer;
  }

  Objective objective() {
    return objective;
  }

  /**
   * Returns how the run selects its epoch.
   *
   * @return the selection metric
   */
  public Selection selection() {
    return selection;
  }

  SplittableRandom order() {
    return order;
  }

  /**
   * Returns the zero-based epoch the loop trains next.
   *
   * @return 0 for a fresh run; the epochs done for a resumed one
   */
  public int nextEpoch() {
    return nextEpoch;
  }

  void setNextEpoch(int epoch) {
    this.nextEpoch = epoch;
  }

  /**
   * Returns the number of optimisation steps taken.
   *
   * @return the global step
   */
  public long globalStep() {
    return globalStep;
  }

  void setGlobalStep(long step) {
    this.globalStep = step;
  }

  /**
   * Returns the wall time spent in training steps so far.
   *
   * @return seconds
   */
  public double trainSeconds() {
    return trainSeconds;
  }

  void setTrainSeconds(double seconds) {
    this.trainSeconds = seconds;
  }

  /**
   * Returns the last finite step loss.
   *
   * @return the loss, NaN before the first step
   */
  public double lastFiniteLoss() {
    return lastFiniteLoss;
  }

  void setLastFiniteLoss(double loss) {
    this.lastFiniteLoss = loss;
  }

  /**
   * Returns the finished epochs' metrics, in order.
   *
   * @return the history (the loop appends to it)
   */
  public List<EpochMetrics> history() {
    return history;
  }

  /**
   * Returns the selected epoch so far.
   *
   * @return zero-based epoch, -1 when none
   */
  public int bestEpoch() {
    return bestEpoch;
  }

  /**
   * Returns the selected epoch's value of the selection metric.
   *
   * @return the value, {@link Selection#worst()} when none
   */
  public double bestValue() {
    return bestValue;
  }

  /**
   * Returns the selected epoch's student weights.
   *
   * @return one array per student parameter, null when none
   */
  public float[][] bestWeights() {
    return bestWeights;
  }

  void select(int epoch, double value, float[][] weights) {
    this.bestEpoch = epoch;
    this.bestValue = value;
    this.bestWeights = weights;
  }

  /**
   * Returns why the run stopped early.
   *
   * @return the reason, null while it runs or when it finished every epoch
   */
  public String error() {
    return error;
  }

  void listeners(List<TrainingListener> all) {
    this.listeners = all;
  }

  List<TrainingListener> listeners() {
    return listeners;
  }

  /**
   * Tells every listener of the loop that a checkpoint was written.
   *
   * @param epoch zero-based epoch the checkpoint ends with
   * @param file the checkpoint
   * @param seconds time spent writing it
   */
  public void checkpointSaved(int epoch, java.nio.file.Path file, double seconds) {
    for (TrainingListener l : listeners) {
      l.checkpointSaved(epoch, file, seconds);
    }
  }

  /**
   * Tells whether a listener or the loop stopped the run.
   *
   * @return whether it stopped early
   */
  public boolean stopped() {
    return error != null;
  }

  /**
   * Stops the run after the current epoch's listeners; the epoch is not selected nor checkpointed
   * by listeners that come after the one that stopped it.
   *
   * @param reason why, shown to the user
   */
  public void stop(String reason) {
    if (error == null) {
      error = reason;
    }
  }
}
