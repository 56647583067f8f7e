package org.taqtir.api;

import ai.djl.ndarray.types.Shape;

/**
 * The shape of the data a model sees.
 *
 * @param input one sample's shape, without the batch dimension, e.g. {@code (1, 28, 28)}
 * @param numClasses number of output classes
 */
public record ModelShape(Shape input, int numClasses) {

  /**
   * Returns the number of input features when a sample is flattened.
   *
   * @return the product of the input dimensions
   */
  public int flatInputSize() {
    return (int) input.size();
  }
}
