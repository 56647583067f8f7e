package org.taqtir.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * An LSTM language model (Hochreiter &amp; Schmidhuber 1997; as a character model, Graves 2013):
 * token embedding, a stack of LSTM layers (libtorch's fused op through DJL's {@code LSTM}), a
 * linear head. Input {@code (B, T)} ids; output logits {@code (B, T, V)} and the tap {@code hidden}
 * (the top layer's output, {@code (B, T, state)}).
 */
final class LstmLmBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int vocabulary;
  private final int width;
  private final int state;
  private final float dropout;
  private final TokenEmbedding tokens;
  private final LSTM lstm;
  private final Linear head;

  LstmLmBlock(int vocabulary, int width, int state, int layers, float dropout) {
    super(VERSION);
    this.vocabulary = vocabulary;
    this.width = width;
    this.state = state;
    this.dropout = dropout;
    tokens = addChildBlock("tokens", new TokenEmbedding(vocabulary, width));
    lstm =
        addChildBlock(
            "lstm",
            LSTM.builder()
                .setStateSize(state)
                .setNumLayers(layers)
                .optBatchFirst(true)
                .optReturnState(false)
                .optDropRate(layers > 1 ? dropout : 0)
                .build());
    head = addChildBlock("head", Linear.builder().setUnits(vocabulary).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    NDArray x = tokens.forward(store, new NDList(ids), training).singletonOrThrow();
    NDArray h = lstm.forward(store, new NDList(x), training).get(0);
    NDArray d = training && dropout > 0 ? Dropout.dropout(h, dropout, true).singletonOrThrow() : h;
    NDArray logits = head.forward(store, new NDList(d), training).singletonOrThrow();
    return new NDList(logits, h);
  }

  /**
   * Returns the tap names.
   *
   * @return {@code hidden}
   */
  List<String> taps() {
    return List.of("hidden");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    long t = inputShapes[0].get(1);
    return new Shape[] {new Shape(b, t, vocabulary), new Shape(b, t, state)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    tokens.initialize(manager, dataType, ids);
    Shape x = ids.add(width);
    lstm.initialize(manager, dataType, x);
    head.initialize(manager, dataType, ids.add(state));
  }
}
