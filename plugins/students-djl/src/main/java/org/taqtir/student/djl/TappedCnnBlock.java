package org.taqtir.student.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A LeNet-style convolutional network whose forward pass returns the logits followed by every
 * block's pooled feature map {@code (B, C, H, W)}, the flattened last map {@code (B, C·H·W)} and
 * every hidden layer's activation {@code (B, width)}. Each block is conv k×k (stride 1, padding
 * ⌊(k−1)/2⌋) → ReLU → 2×2 max pool (stride 2). Input of shape {@code (B, ...)} is reshaped to
 * {@code (B, C, H, W)} given at construction, so a flattened {@code (B, 784)} batch works as well
 * as {@code (B, 1, 28, 28)}.
 */
final class TappedCnnBlock extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final Shape POOL = new Shape(2, 2);
  private static final Shape NO_PADDING = new Shape(0, 0);

  private final long[] image;
  private final List<Conv2d> convs = new ArrayList<>();
  private final List<Linear> hidden = new ArrayList<>();
  private final Linear output;
  private final float dropout;

  /**
   * Creates the block.
   *
   * @param image one sample as {@code {C, H, W}}
   * @param channels output channels of each conv block
   * @param kernel the square kernel size
   * @param widths hidden layer widths after the flatten
   * @param classes number of classes
   * @param dropout dropout rate on the flattened map and each hidden activation (training only)
   */
  TappedCnnBlock(
      long[] image,
      List<Integer> channels,
      int kernel,
      List<Integer> widths,
      int classes,
      float dropout) {
    super(VERSION);
    this.image = image.clone();
    this.dropout = dropout;
    int pad = (kernel - 1) / 2;
    for (int i = 0; i < channels.size(); i++) {
      convs.add(
          addChildBlock(
              "conv" + (i + 1),
              Conv2d.builder()
                  .setKernelShape(new Shape(kernel, kernel))
                  .optPadding(new Shape(pad, pad))
                  .setFilters(channels.get(i))
                  .build()));
    }
    for (int i = 0; i < widths.size(); i++) {
      hidden.add(
          addChildBlock("hidden" + (i + 1), Linear.builder().setUnits(widths.get(i)).build()));
    }
    output = addChildBlock("output", Linear.builder().setUnits(classes).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long batch = x.getShape().get(0);
    x = x.reshape(batch, image[0], image[1], image[2]);
    NDList taps = new NDList(convs.size() + 1 + hidden.size());
    for (Conv2d conv : convs) {
      x = Activation.relu(conv.forward(store, new NDList(x), training).singletonOrThrow());
      x = Pool.maxPool2d(x, POOL, POOL, NO_PADDING, false);
      taps.add(x);
    }
    x = x.reshape(batch, -1);
    taps.add(x);
    for (Linear layer : hidden) {
      x = dropout(x, training);
      x = Activation.relu(layer.forward(store, new NDList(x), training).singletonOrThrow());
      taps.add(x);
    }
    x = dropout(x, training);
    NDList out = new NDList(taps.size() + 1);
    out.add(output.forward(store, new NDList(x), training).singletonOrThrow());
    out.addAll(taps);
    return out;
  }

  private NDArray dropout(NDArray x, boolean training) {
    return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
  }

  /**
   * Returns the per-sample shape of every tap, in tap order, for a batch of {@code batch}.
   *
   * @param batch the batch size to put first
   * @return block maps, the flatten, the hidden activations, each with the batch first
   */
  private Shape[] tapShapes(long batch) {
    Shape[] shapes = new Shape[convs.size() + 1 + hidden.size()];
    Shape current = new Shape(batch, image[0], image[1], image[2]);
    int i = 0;
    for (Conv2d conv : convs) {
      Shape c = conv.getOutputShapes(new Shape[] {current})[0];
      current = new Shape(batch, c.get(1), c.get(2) / 2, c.get(3) / 2);
      shapes[i++] = current;
    }
    current = new Shape(batch, current.size() / batch);
    shapes[i++] = current;
    for (Linear layer : hidden) {
      current = layer.getOutputShapes(new Shape[] {current})[0];
      shapes[i++] = current;
    }
    return shapes;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    Shape[] taps = tapShapes(batch);
    Shape[] shapes = new Shape[taps.length + 1];
    System.arraycopy(taps, 0, shapes, 1, taps.length);
    shapes[0] = output.getOutputShapes(new Shape[] {taps[taps.length - 1]})[0];
    return shapes;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    Shape current = new Shape(batch, image[0], image[1], image[2]);
    for (Conv2d conv : convs) {
      conv.initialize(manager, dataType, current);
      Shape c = conv.getOutputShapes(new Shape[] {current})[0];
      current = new Shape(batch, c.get(1), c.get(2) / 2, c.get(3) / 2);
    }
    current = new Shape(batch, current.size() / batch);
    for (Linear layer : hidden) {
      layer.initialize(manager, dataType, current);
      current = layer.getOutputShapes(new Shape[] {current})[0];
    }
    output.initialize(manager, dataType, current);
  }
}
