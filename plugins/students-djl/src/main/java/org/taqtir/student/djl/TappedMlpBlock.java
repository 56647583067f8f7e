package org.taqtir.student.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A multilayer perceptron whose forward pass returns the logits followed by every hidden layer's
 * activation, so feature-based strategies can read {@code hidden1}, {@code hidden2}, ... without a
 * model rewrite. Input of any shape {@code (B, ...)} is flattened to {@code (B, D)}.
 */
final class TappedMlpBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final List<Linear> hidden = new ArrayList<>();
  private final Linear output;
  private final String activation;
  private final float dropout;

  TappedMlpBlock(List<Integer> widths, int classes, String activation, float dropout) {
    super(VERSION);
    this.activation = activation;
    this.dropout = dropout;
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
    x = x.reshape(x.getShape().get(0), -1);
    NDList taps = new NDList(hidden.size());
    for (Linear layer : hidden) {
      x = activate(layer.forward(store, new NDList(x), training).singletonOrThrow());
      taps.add(x);
      if (training && dropout > 0) {
        x = Dropout.dropout(x, dropout, true).singletonOrThrow();
      }
    }
    NDList out = new NDList(hidden.size() + 1);
    out.add(output.forward(store, new NDList(x), training).singletonOrThrow());
    out.addAll(taps);
    return out;
  }

  private NDArray activate(NDArray x) {
    return switch (activation) {
      case "tanh" -> Activation.tanh(x);
      case "gelu" -> Activation.gelu(x);
      default -> Activation.relu(x);
    };
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long batch = inputShapes[0].get(0);
    Shape[] shapes = new Shape[hidden.size() + 1];
    Shape current = new Shape(batch, inputShapes[0].size() / batch);
    for (int i = 0; i < hidden.size(); i++) {
      current = hidden.get(i).getOutputShapes(new Shape[] {current})[0];
      shapes[i + 1] = current;
    }
    shapes[0] = output.getOutputShapes(new Shape[] {current})[0];
    return shapes;
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    Shape current = new Shape(batch, inputShapes[0].size() / batch);
    for (Linear layer : hidden) {
      layer.initialize(manager, dataType, current);
      current = layer.getOutputShapes(new Shape[] {current})[0];
    }
    output.initialize(manager, dataType, current);
  }
}
