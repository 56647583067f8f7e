package org.taqtir.text.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer language model with pre-LayerNorm blocks (GPT-2, Radford et al. 2019;
 * pre-LN as in Xiong et al. 2020), built from DJL's parts: token and learnt position embeddings,
 * then {@code layers} × [x + Attention(LN(x)); x + MLP(LN(x))], a final LayerNorm and a linear head
 * (optionally tied to the token embedding). Attention is multi-head, causal (position t sees
 * positions ≤ t), written out so its probabilities are a tap. DJL's {@code TransformerEncoderBlock}
 * is not used: it normalises with BatchNorm over positions and batch (future positions included)
 * and has another residual.
 *
 * <p>Input {@code (B, T)} token ids, T at most {@code context}. Output: logits {@code (B, T, V)},
 * then the taps {@code hidden1..L} (each block's output, {@code (B, T, d)}) and {@code
 * attention1..L} (the attention probabilities, {@code (B, heads, T, T)}).
 *
 * <p>Every constant multiplied into the graph (the attention scale, the causal mask) is an NDArray
 * of the input's manager, never {@code NDArray.mul(Number)} on a graph array, so autograd never
 * reads a freed scalar.
 */
final class GptBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final int vocabulary;
  private final int context;
  private final int width;
  private final int heads;
  private final float dropout;
  private final boolean tied;
  private final TokenEmbedding tokens;
  private final TokenEmbedding positions;
  private final List<Layer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear head;

  /** One transformer block's parts. */
  private record Layer(
      LayerNorm norm1, Linear qkv, Linear projection, LayerNorm norm2, Linear up, Linear down) {}

  GptBlock(
      int vocabulary,
      int context,
      int width,
      int layerCount,
      int heads,
      int mlp,
      float dropout,
      boolean tied) {
    super(VERSION);
    if (width % heads != 0) {
      throw new IllegalArgumentException(
          "gpt: width " + width + " must be a multiple of heads " + heads);
    }
    this.vocabulary = vocabulary;
    this.context = context;
    this.width = width;
    this.heads = heads;
    this.dropout = dropout;
    this.tied = tied;
    tokens = addChildBlock("tokens", new TokenEmbedding(vocabulary, width));
    positions = addChildBlock("positions", new TokenEmbedding(context, width));
    for (int i = 1; i <= layerCount; i++) {
      String p = "layer" + i + "_";
      layers.add(
          new Layer(
              addChildBlock(p + "norm1", norm()),
              addChildBlock(p + "qkv", Linear.builder().setUnits(3L * width).build()),
              addChildBlock(p + "projection", Linear.builder().setUnits(width).build()),
              addChildBlock(p + "norm2", norm()),
              addChildBlock(p + "up", Linear.builder().setUnits((long) mlp * width).build()),
              addChildBlock(p + "down", Linear.builder().setUnits(width).build())));
    }
    finalNorm = addChildBlock("final_norm", norm());
    head = tied ? null : addChildBlock("head", Linear.builder().setUnits(vocabulary).build());
  }

  private static LayerNorm norm() {
    return LayerNorm.builder().axis(2).build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray ids = inputs.singletonOrThrow();
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    if (t > context) {
      throw new IllegalArgumentException(
          "gpt: " + t + " positions in, the model's context is " + context);
    }
    NDManager m = ids.getManager();
    NDArray positionIds = m.arange(0, (int) t, 1, DataType.INT64);
    NDArray x = one(tokens, store, ids, training).add(one(positions, store, positionIds, training));
    x = drop(x, training);
    // additive causal mask (T, T): 0 where the key position is <= the query position, else -1e9
    NDArray r = m.arange(0, (int) t, 1, DataType.INT64);
    NDArray visible = r.reshape(t, 1).gte(r.reshape(1, t)).toType(DataType.FLOAT32, false);
    NDArray mask = visible.sub(m.create(1f)).mul(m.create(1e9f));
    NDArray scale = m.create((float) (1 / Math.sqrt(width / (double) heads)));
    NDList hidden = new NDList(layers.size());
    NDList attention = new NDList(layers.size());
    for (Layer layer : layers) {
      NDArray h = one(layer.norm1(), store, x, training);
      NDArray qkv = one(layer.qkv(), store, h, training);
      NDList parts = qkv.split(3, 2);
      NDArray q = split(parts.get(0), b, t);
      NDArray k = split(parts.get(1), b, t);
      NDArray v = split(parts.get(2), b, t);
      NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(mask);
      NDArray probs = scores.softmax(-1);
      attention.add(probs);
      NDArray mixed = drop(probs, training).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, width);
      x = x.add(drop(one(layer.projection(), store, mixed, training), training));
      NDArray u =
          Activation.gelu(one(layer.up(), store, one(layer.norm2(), store, x, training), training));
      x = x.add(drop(one(layer.down(), store, u, training), training));
      hidden.add(x);
    }
    NDArray out = one(finalNorm, store, x, training);
    NDArray logits =
        tied
            ? out.matMul(tokens.table(store, ids.getDevice(), training).transpose())
            : one(head, store, out, training);
    NDList result = new NDList(1 + 2 * layers.size());
    result.add(logits);
    result.addAll(hidden);
    result.addAll(attention);
    return result;
  }

  /** (B, T, d) → (B, heads, T, d / heads). */
  private NDArray split(NDArray x, long b, long t) {
    return x.reshape(b, t, heads, width / heads).transpose(0, 2, 1, 3);
  }

  private NDArray drop(NDArray x, boolean training) {
    return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
  }

  private static NDArray one(
      ai.djl.nn.Block block, ParameterStore store, NDArray x, boolean training) {
    return block.forward(store, new NDList(x), training).singletonOrThrow();
  }

  /**
   * Returns the tap names, in output order after the logits.
   *
   * @return {@code hidden1..L}, then {@code attention1..L}
   */
  List<String> taps() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= layers.size(); i++) {
      out.add("hidden" + i);
    }
    for (int i = 1; i <= layers.size(); i++) {
      out.add("attention" + i);
    }
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    long t = inputShapes[0].get(1);
    Shape[] out = new Shape[1 + 2 * layers.size()];
    out[0] = new Shape(b, t, vocabulary);
    for (int i = 0; i < layers.size(); i++) {
      out[1 + i] = new Shape(b, t, width);
      out[1 + layers.size() + i] = new Shape(b, heads, t, t);
    }
    return out;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape ids = inputShapes[0];
    tokens.initialize(manager, dataType, ids);
    positions.initialize(manager, dataType, new Shape(ids.get(1)));
    Shape x = ids.add(width);
    for (Layer layer : layers) {
      layer.norm1().initialize(manager, dataType, x);
      layer.qkv().initialize(manager, dataType, x);
      layer.projection().initialize(manager, dataType, x);
      layer.norm2().initialize(manager, dataType, x);
      layer.up().initialize(manager, dataType, x);
      layer.down().initialize(manager, dataType, layer.up().getOutputShapes(new Shape[] {x})[0]);
    }
    finalNorm.initialize(manager, dataType, x);
    if (head != null) {
      head.initialize(manager, dataType, x);
    }
  }
}
