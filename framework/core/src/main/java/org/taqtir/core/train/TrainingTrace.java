package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.taqtir.core.data.Samples;
import org.taqtir.core.run.EpochMetrics;

/**
 * A diagnostic record of one training, written as NumPy files so another framework can repeat the
 * same training step for step: the initial values of every trainable array (the student's
 * parameters, then each strategy's), the data order of every epoch, the selected weights, per epoch
 * the seconds, mean loss, validation accuracy and loss, and the loss of each of the first steps.
 * The PyTorch peer of the benchmark ({@code bench/pytorch_peer.py}) starts from these, so both
 * stacks train the same model from the same initialisation on the same batches.
 *
 * <p>Off unless the system property {@value #PROPERTY} names a directory. Each training of the
 * process writes into its own sub-directory {@code <n>-<model name>}; the data splits go once into
 * {@code data.npz} of the directory (unless {@value #DATA_PROPERTY} is {@code false}). Nothing is
 * written inside a timed epoch: the permutations are kept in memory and written after training.
 */
public final class TrainingTrace implements TrainingListener {

  /** System property naming the trace directory. */
  static final String PROPERTY = "taqtir.trace.dir";

  /** System property that, set to {@code false}, leaves the data splits out. */
  static final String DATA_PROPERTY = "taqtir.trace.data";

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** How many first steps {@code steps.csv} keeps the loss of. */
  static final int STEPS_KEPT = 50;

  private final Path dir;
  private final List<int[]> permutations = new ArrayList<>();
  private final StringBuilder epochs =
      new StringBuilder("epoch,seconds,train_loss,val_acc,val_loss\n");
  private final StringBuilder steps = new StringBuilder("epoch,step,loss\n");
  private int stepsKept;
  private int bestEpoch = -1;

  private TrainingTrace(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts a trace for one training when {@value #PROPERTY} is set.
   *
   * @param name the model name, part of the sub-directory's name
   * @param train the training split
   * @param validation the validation split
   * @param test the test split
   * @return the trace (add it to the trainer's listeners), or null when tracing is off
   */
  public static TrainingTrace start(String name, Samples train, Samples validation, Samples test) {
    String root = System.getProperty(PROPERTY);
    if (root == null || root.isBlank()) {
      return null;
    }
    Path base = Path.of(root);
    Path dir = base.resolve(SEQUENCE.incrementAndGet() + "-" + (name == null ? "student" : name));
    try {
      Files.createDirectories(dir);
      Path splits = base.resolve("data.npz");
      if (!Files.exists(splits) && !"false".equals(System.getProperty(DATA_PROPERTY))) {
        try (NDManager m = NDManager.newBaseManager()) {
          NDList list = new NDList();
          add(list, m, "train", train);
          add(list, m, "val", validation);
          add(list, m, "test", test);
          write(base.resolve("data.npz.tmp"), list);
          Files.move(base.resolve("data.npz.tmp"), splits);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("trace: cannot write " + dir + ": " + e.getMessage(), e);
    }
    return new TrainingTrace(dir);
  }

  private static void add(NDList list, NDManager m, String prefix, Samples d) {
    // (N, D): flat rows, whatever the sample's shape, stored as the trainer keeps them
    NDArray x = d.residentInputs(m);
    x.setName(prefix + "_x");
    NDArray y = m.create(d.targets());
    y.setName(prefix + "_y");
    list.add(x);
    list.add(y);
  }

  /** Records the trainable arrays before the first step (and before a checkpoint restores them). */
  @Override
  public void trainingStarted(TrainingRun run) {
    writeArrays("init.npz", run.trainable());
  }

  /** Records an epoch's data order (kept in memory until training ends). */
  @Override
  public void orderDrawn(TrainingRun run, int[] permutation) {
    permutations.add(permutation.clone());
  }

  /** Records the loss of each of the first {@value #STEPS_KEPT} steps. */
  @Override
  public void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
    if (stepsKept < STEPS_KEPT) {
      stepsKept++;
      steps.append(String.format(Locale.ROOT, "%d,%d,%.9g%n", epoch, step, loss));
    }
  }

  /** Records an epoch's figures. */
  @Override
  public void epochEnded(TrainingRun run, EpochMetrics m) {
    epochs.append(
        String.format(
            Locale.ROOT,
            "%d,%.6f,%.9g,%.9g,%.9g%n",
            m.epoch(),
            m.seconds(),
            m.trainLoss(),
            m.valAcc(),
            m.valLoss()));
  }

  /** Writes the data orders, the selected weights (back in the model by now) and the figures. */
  @Override
  public void trainingFinished(TrainingRun run) {
    bestEpoch = run.bestEpoch();
    write(Double.NaN);
    try (NDManager m = NDManager.newBaseManager()) {
      NDList perms = new NDList();
      for (int e = 0; e < permutations.size(); e++) {
        NDArray p = m.create(permutations.get(e));
        p.setName("epoch" + e);
        perms.add(p);
      }
      write(dir.resolve("permutations.npz"), perms);
    }
    writeArrays("selected.npz", run.trainable());
    try {
      Files.writeString(dir.resolve("epochs.csv"), epochs.toString(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("steps.csv"), steps.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("trace: cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Records the selected weights' test accuracy ({@code test/acc}) when the task evaluated it. */
  @Override
  public void evaluated(TrainingRun run, Map<String, Double> metrics) {
    write(metrics.getOrDefault("test/acc", Double.NaN));
  }

  private void write(double testAccuracy) {
    try {
      Files.writeString(
          dir.resolve("result.properties"),
          String.format(
              Locale.ROOT, "best_epoch=%d%ntest_accuracy=%.9g%n", bestEpoch, testAccuracy),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("trace: cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  private void writeArrays(String file, List<NDArray> arrays) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList list = new NDList();
      for (int i = 0; i < arrays.size(); i++) {
        NDArray copy = m.create(arrays.get(i).toFloatArray(), arrays.get(i).getShape());
        copy.setName(String.format(Locale.ROOT, "p%03d", i));
        list.add(copy);
      }
      write(dir.resolve(file), list);
    }
  }

  private static void write(Path file, NDList list) {
    try (OutputStream out = Files.newOutputStream(file)) {
      list.encode(out, NDList.Encoding.NPZ);
    } catch (IOException e) {
      throw new UncheckedIOException("trace: cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
