package org.taqtir.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A lookup table of {@code (rows, width)} vectors, indexed by integer ids of any shape: libtorch's
 * {@code embedding} (whose backward is a dense scatter-add, as {@code torch.nn.Embedding}'s), not
 * DJL's {@code IdEmbedding} (a {@code gather_nd}). Initialised from N(0, 0.02²), as GPT-2.
 */
final class TokenEmbedding extends AbstractBlock {

  private static final byte VERSION = 1;

  private final Parameter weight;
  private final int rows;
  private final int width;

  TokenEmbedding(int rows, int width) {
    super(VERSION);
    this.rows = rows;
    this.width = width;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, width))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
  }

  /**
   * Returns the table itself (for a head tied to it).
   *
   * @param store the parameter store
   * @param device where
   * @param training whether training
   * @return {@code (rows, width)}
   */
  NDArray table(ParameterStore store, ai.djl.Device device, boolean training) {
    return store.getValue(weight, device, training);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray w = store.getValue(weight, ids.getDevice(), training);
    return ids.getNDArrayInternal().embedding(ids, w, SparseFormat.DENSE);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0].add(width)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {}

  @Override
  public String toString() {
    return "TokenEmbedding(" + rows + ", " + width + ")";
  }
}
