package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taqtir.core.data.Shuffle;
import org.taqtir.core.run.EpochMetrics;

/**
 * Saves the loop's state after every epoch into a file and continues from it when it already exists
 * (a killed run): the resumed run takes no step twice and skips none, and ends bitwise equal to a
 * run that was never interrupted. A run with a {@link org.taqtir.api.Capability#STATEFUL} strategy
 * that cannot save its state writes no checkpoint.
 */
final class Checkpointing implements TrainingListener {

  private final Path file;
  private boolean enabled = true;

  /**
   * Creates the listener.
   *
   * @param file the checkpoint, e.g. {@code <run dir>/checkpoint.bin}
   */
  Checkpointing(Path file) {
    this.file = file;
  }

  @Override
  public void trainingStarted(TrainingRun run) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    TrainingCheckpoint c = TrainingCheckpoint.read(file);
    ParamOptimizer optimizer = run.optimizer();
    checkResumable(c, run);
    NDManager manager = run.model().manager();
    load(run.trainable(), c.trainable(), manager);
    load(optimizer.moments(), c.moments(), manager);
    optimizer.setSteps(c.optimizerSteps());
    run.objective().restore(c.strategyStates());
    run.history().addAll(c.history());
    run.select(c.bestEpoch(), c.bestVal(), c.bestWeights());
    run.setTrainSeconds(c.trainSeconds());
    run.setGlobalStep(c.globalStep());
    run.setLastFiniteLoss(c.lastFiniteLoss());
    // The data order is the seed's stream: replay the finished epochs' permutations.
    for (int e = 0; e < c.epochs(); e++) {
      Shuffle.permutation(run.samples(), run.order());
    }
    run.setNextEpoch(c.epochs());
  }

  @Override
  public void epochEnded(TrainingRun run, EpochMetrics metrics) {
    if (!enabled || run.stopped()) {
      return;
    }
    long t0 = System.nanoTime();
    List<byte[]> states = run.objective().states();
    if (states == null) {
      enabled = false;
      return;
    }
    new TrainingCheckpoint(
            run.seed(),
            metrics.epoch() + 1,
            run.globalStep(),
            run.optimizer().steps(),
            run.trainSeconds(),
            run.lastFiniteLoss(),
            run.bestEpoch(),
            run.bestValue(),
            values(run.trainable()),
            values(run.optimizer().moments()),
            run.bestWeights(),
            states,
            List.copyOf(run.history()))
        .write(file);
    double seconds = (System.nanoTime() - t0) / 1e9;
    run.checkpointSaved(metrics.epoch(), file, seconds);
  }

  private void checkResumable(TrainingCheckpoint c, TrainingRun run) {
    List<NDArray> trainable = run.trainable();
    List<NDArray> moments = run.optimizer().moments();
    int studentArrays = run.model().parameters().size();
    String problem = null;
    if (c.seed() != run.seed()) {
      problem = "it was written with seed " + c.seed() + ", this run has seed " + run.seed();
    } else if (c.epochs() > run.config().epochs()) {
      problem = "it holds " + c.epochs() + " epochs, this run has " + run.config().epochs();
    } else if (c.trainable().size() != trainable.size() || c.moments().size() != moments.size()) {
      problem =
          "it holds "
              + c.trainable().size()
              + " trainable arrays, this run has "
              + trainable.size();
    } else if (c.strategyStates().size() != run.objective().size()) {
      problem =
          "it holds "
              + c.strategyStates().size()
              + " terms, this run has "
              + run.objective().size();
    } else if (c.bestWeights() != null && c.bestWeights().length != studentArrays) {
      problem = "its best weights have " + c.bestWeights().length + " arrays";
    } else {
      for (int i = 0; i < trainable.size(); i++) {
        if (c.trainable().get(i).length != trainable.get(i).size()) {
          problem =
              "trainable array "
                  + i
                  + " has "
                  + c.trainable().get(i).length
                  + " values, this run's has "
                  + trainable.get(i).size();
          break;
        }
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(file + ": cannot resume from this checkpoint: " + problem);
    }
  }

  private static List<float[]> values(List<NDArray> arrays) {
    List<float[]> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      out.add(a.toFloatArray());
    }
    return out;
  }

  private static void load(List<NDArray> arrays, List<float[]> values, NDManager manager) {
    for (int i = 0; i < arrays.size(); i++) {
      NDArray w = arrays.get(i);
      try (NDArray v = manager.create(values.get(i), w.getShape())) {
        StudentModel.copyInto(w, v);
      }
    }
  }
}
