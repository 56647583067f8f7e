package org.taqtir.core.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A labelled data set resident in memory: features as one row-major {@code float[]} (pixels scaled
 * to [0, 1]) and integer labels.
 *
 * <p>The content hash is SHA-256 over, in order: the sample shape and class count as text, the
 * sample count, every feature value's float bits (big-endian) and every label (big-endian int), so
 * any change of a pixel, a label, the order or the subset changes it.
 */
public final class Dataset {

  private final float[] features;
  private final int[] labels;
  private final int[] sampleShape;
  private final int featureSize;
  private final int numClasses;
  private volatile String hash;

  /**
   * Creates a data set; the arrays are used as given (not copied).
   *
   * @param features row-major {@code N × featureSize} values
   * @param labels N labels in {@code [0, numClasses)}
   * @param sampleShape one sample's shape, e.g. {@code {1, 28, 28}}
   * @param numClasses number of classes
   * @throws IllegalArgumentException when sizes disagree or a label is out of range
   */
  public Dataset(float[] features, int[] labels, int[] sampleShape, int numClasses) {
    int size = 1;
    for (int d : sampleShape) {
      size *= d;
    }
    if ((long) labels.length * size != features.length) {
      throw new IllegalArgumentException(
          "features have " + features.length + " values, expected " + labels.length + " x " + size);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "label of sample " + i + " must be in [0, " + numClasses + "), found " + labels[i]);
      }
    }
    this.features = features;
    this.labels = labels;
    this.sampleShape = sampleShape.clone();
    this.featureSize = size;
    this.numClasses = numClasses;
  }

  /**
   * Returns the features (not a copy: do not modify).
   *
   * @return row-major {@code size() × featureSize()} values
   */
  public float[] features() {
    return features;
  }

  /**
   * Returns the labels (not a copy: do not modify).
   *
   * @return one label per sample
   */
  public int[] labels() {
    return labels;
  }

  /**
   * Returns the number of samples.
   *
   * @return N
   */
  public int size() {
    return labels.length;
  }

  /**
   * Returns the number of values per sample.
   *
   * @return the product of {@link #sampleShape()}
   */
  public int featureSize() {
    return featureSize;
  }

  /**
   * Returns one sample's shape.
   *
   * @return a copy, e.g. {@code {1, 28, 28}}
   */
  public int[] sampleShape() {
    return sampleShape.clone();
  }

  /**
   * Returns the number of classes.
   *
   * @return C
   */
  public int numClasses() {
    return numClasses;
  }

  /**
   * Returns a new data set of the given rows, in the given order.
   *
   * @param indices row indices
   * @return the subset (copied)
   */
  public Dataset subset(int[] indices) {
    float[] f = new float[indices.length * featureSize];
    int[] l = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(features, indices[i] * featureSize, f, i * featureSize, featureSize);
      l[i] = labels[indices[i]];
    }
    return new Dataset(f, l, sampleShape, numClasses);
  }

  /**
   * Returns the SHA-256 content hash (computed once).
   *
   * @return 64 hex digits
   */
  public String contentHash() {
    String h = hash;
    if (h == null) {
      h = computeHash();
      hash = h;
    }
    return h;
  }

  private String computeHash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          ("shape=" + java.util.Arrays.toString(sampleShape) + ";classes=" + numClasses + ";n=" + size())
              .getBytes(StandardCharsets.UTF_8));
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      for (float v : features) {
        if (buf.remaining() < Float.BYTES) {
          md.update(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putInt(Float.floatToIntBits(v));
      }
      for (int l : labels) {
        if (buf.remaining() < Integer.BYTES) {
          md.update(buf.array(), 0, buf.position());
          buf.clear();
        }
        buf.putInt(l);
      }
      md.update(buf.array(), 0, buf.position());
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
