package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A trainable linear map {@code x·W + b} that strategies use as an adapter or projection head
 * (FitNets' regressor, VID's mean, CRD's embedding heads). Return {@link #parameters()} from {@link
 * DistillationStrategy#trainableParameters()} so the loop optimises it with the student.
 *
 * @param weight {@code (in, out)}
 * @param bias {@code (out)}
 */
public record LinearAdapter(NDArray weight, NDArray bias) {

  /**
   * Creates an adapter with Glorot-normal weights (σ = √(2 / (in + out))) and zero bias, drawn from
   * the engine's seeded generator.
   *
   * @param manager the long-lived manager of {@link StrategyContext#manager()}
   * @param in input width
   * @param out output width
   * @return the adapter
   */
  public static LinearAdapter create(NDManager manager, long in, long out) {
    float std = (float) Math.sqrt(2.0 / (in + out));
    NDArray w = manager.randomNormal(0, std, new Shape(in, out), DataType.FLOAT32);
    return new LinearAdapter(w, manager.zeros(new Shape(out)));
  }

  /**
   * Applies the map.
   *
   * @param x {@code (B, in)}
   * @return {@code (B, out)}, attached to the graph
   */
  public NDArray apply(NDArray x) {
    return x.matMul(weight).add(bias);
  }

  /**
   * Returns the trainable arrays.
   *
   * @return weight, then bias
   */
  public List<NDArray> parameters() {
    return List.of(weight, bias);
  }
}
