package org.taqtir.api;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * What a strategy gets once, before training, to build its constants and adapters.
 *
 * <p>DJL's PyTorch engine frees the temporary scalar created by {@code NDArray.mul(Number)} and
 * similar overloads right after the forward op although autograd still needs it for the backward
 * pass (docs/plugins.md, "Constants"). A strategy must therefore create every constant it
 * multiplies into the graph (temperature, weights) as an {@code NDArray} in {@link #manager()},
 * which outlives every {@code backward()}.
 *
 * @param manager long-lived manager owned by the training loop; closed after training
 * @param numClasses number of classes
 * @param batchSize configured batch size (the last batch may be smaller)
 * @param totalEpochs number of epochs the run will train
 * @param studentTaps shape of each student tap the strategy asked for, without the batch dimension
 * @param teacherTaps shape of each teacher tap the strategy asked for, without the batch dimension
 */
public record StrategyContext(
    NDManager manager,
    int numClasses,
    int batchSize,
    int totalEpochs,
    Map<String, Shape> studentTaps,
    Map<String, Shape> teacherTaps) {

  /** Copies the maps. */
  public StrategyContext {
    studentTaps = Map.copyOf(studentTaps);
    teacherTaps = Map.copyOf(teacherTaps);
  }

  /**
   * A context for strategies that read no taps.
   *
   * @param manager long-lived manager owned by the training loop
   * @param numClasses number of classes
   * @param batchSize configured batch size
   * @param totalEpochs number of epochs
   */
  public StrategyContext(NDManager manager, int numClasses, int batchSize, int totalEpochs) {
    this(manager, numClasses, batchSize, totalEpochs, Map.of(), Map.of());
  }

  /**
   * Returns the shape of a student tap.
   *
   * @param tap the tap name
   * @return its shape without the batch dimension
   * @throws IllegalArgumentException when the tap was not provided, listing those that were
   */
  public Shape studentTap(String tap) {
    return find(studentTaps, tap, "student");
  }

  /**
   * Returns the shape of a teacher tap.
   *
   * @param tap the tap name
   * @return its shape without the batch dimension
   * @throws IllegalArgumentException when the tap was not provided, listing those that were
   */
  public Shape teacherTap(String tap) {
    return find(teacherTaps, tap, "teacher");
  }

  private static Shape find(Map<String, Shape> taps, String tap, String who) {
    Shape s = taps.get(tap);
    if (s == null) {
      throw new IllegalArgumentException(
          "the "
              + who
              + " has no tap '"
              + tap
              + "'; available: "
              + new java.util.TreeSet<>(taps.keySet()));
    }
    return s;
  }
}
