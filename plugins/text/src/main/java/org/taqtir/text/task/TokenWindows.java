package org.taqtir.text.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.taqtir.core.data.Samples;

/**
 * A token stream cut into windows: sample {@code i} reads tokens {@code [i·stride, i·stride + T)}
 * and predicts tokens {@code [i·stride + 1, i·stride + T]} (next-token prediction at every
 * position). With {@code stride = T} the windows tile the stream, so every token but the first is
 * predicted exactly once: how the evaluation sets are cut.
 */
public final class TokenWindows implements Samples {

  private final String name;
  private final int[] tokens;
  private final int window;
  private final int stride;
  private final int count;
  private final int vocabulary;
  private final long characters;
  private volatile int[] targets;
  private volatile String hash;

  /**
   * Cuts a stream.
   *
   * @param name the split's name, e.g. {@code validation}
   * @param tokens the stream
   * @param window T, tokens per sample
   * @param stride tokens between consecutive samples' starts
   * @param vocabulary the tokenizer's vocabulary size
   * @param characters the number of characters (code points) the stream encodes
   */
  public TokenWindows(
      String name, int[] tokens, int window, int stride, int vocabulary, long characters) {
    this.name = name;
    this.tokens = tokens;
    this.window = window;
    this.stride = stride;
    this.vocabulary = vocabulary;
    this.characters = characters;
    this.count = tokens.length <= window ? 0 : (tokens.length - window - 1) / stride + 1;
  }

  /**
   * Returns the split's name.
   *
   * @return e.g. {@code test}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the whole token stream.
   *
   * @return the tokens (do not modify)
   */
  public int[] stream() {
    return tokens;
  }

  /**
   * Returns the characters per token of the stream: bits per character are bits per token divided
   * by it.
   *
   * @return characters / tokens
   */
  public double charsPerToken() {
    return tokens.length == 0 ? Double.NaN : (double) characters / tokens.length;
  }

  /**
   * Returns the number of characters the stream encodes.
   *
   * @return code points
   */
  public long characters() {
    return characters;
  }

  /**
   * Returns T.
   *
   * @return tokens per sample
   */
  public int window() {
    return window;
  }

  /**
   * Returns the tokens between consecutive windows' starts.
   *
   * @return the stride
   */
  public int stride() {
    return stride;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public long[] sampleDims() {
    return new long[] {window};
  }

  @Override
  public int numClasses() {
    return vocabulary;
  }

  @Override
  public NDArray residentInputs(NDManager manager) {
    return inputs(manager, 0, count);
  }

  @Override
  public NDArray inputs(NDManager manager, int from, int to) {
    int n = to - from;
    ByteBuffer buf = ByteBuffer.allocateDirect(n * window * Integer.BYTES);
    buf.order(ByteOrder.nativeOrder());
    var ints = buf.asIntBuffer();
    for (int i = from; i < to; i++) {
      ints.put(tokens, i * stride, window);
    }
    return manager.create(buf, new Shape(n, window), ai.djl.ndarray.types.DataType.INT32);
  }

  @Override
  public int[] targets() {
    int[] t = targets;
    if (t == null) {
      t = new int[count * window];
      for (int i = 0; i < count; i++) {
        System.arraycopy(tokens, i * stride + 1, t, i * window, window);
      }
      targets = t;
    }
    return t;
  }

  @Override
  public int targetWidth() {
    return window;
  }

  @Override
  public String contentHash() {
    String h = hash;
    if (h == null) {
      try {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(
            (name + ";" + window + ";" + stride + ";" + vocabulary + ";" + tokens.length + ";")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (int t : tokens) {
          if (buf.remaining() < Integer.BYTES) {
            md.update(buf.array(), 0, buf.position());
            buf.clear();
          }
          buf.putInt(t);
        }
        md.update(buf.array(), 0, buf.position());
        h = java.util.HexFormat.of().formatHex(md.digest());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      hash = h;
    }
    return h;
  }
}
