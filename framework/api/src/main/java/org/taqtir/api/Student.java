package org.taqtir.api;

import ai.djl.nn.Block;
import java.util.List;

/**
 * A trainable architecture with named feature taps.
 *
 * <p>Its {@link #block()} takes one input array of shape {@code (B, ...input)} and returns an
 * {@code NDList} whose element 0 is the logits and whose element {@code i + 1} is the feature of
 * {@code taps().get(i)}. Taps are views the forward pass computes anyway, so asking for them costs
 * nothing and needs no model rewrite.
 */
public interface Student {

  /**
   * Returns the DJL block, not yet initialised; the training loop initialises and owns it.
   *
   * @return the block
   */
  Block block();

  /**
   * Returns the names of the block's feature outputs, in output order after the logits.
   *
   * @return tap names such as {@code "hidden1"}, possibly empty
   */
  List<String> taps();

  /**
   * Returns a short architecture description for tables, e.g. {@code "mlp 784-128-10"}.
   *
   * @return a description
   */
  String describe();
}
