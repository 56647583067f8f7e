package org.taqtir.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.TrainingData;

/**
 * A labelled data set resident in memory, as row-major float features or, for images, as unsigned
 * bytes whose feature value is {@code pixel / 255f}. Keeping images as bytes costs a quarter of the
 * memory in Java and, in the trainer, on the native side (the trainer decodes per batch).
 *
 * <p>The content hash is SHA-256 over, in order: the storage kind, sample shape and class count as
 * text, the sample count, every stored value (pixel bytes, or float bits big-endian) and every
 * label (big-endian int), so any change of a pixel, a label, the order or the subset changes it.
 */
public final class Dataset implements Samples {

  private final byte[] pixels;
  private final float[] features;
  private final int[] labels;
  private final int[] sampleShape;
  private final int featureSize;
  private final int numClasses;
  private volatile String hash;
  private String source;
  private int[] sourceRows;
  private int sourceSize = -1;
  private List<String> featureNames;
  private int[] groups;
  private List<String> groupNames;

  /**
   * Creates a data set; the arrays are used as given (not copied).
   *
   * @param features row-major {@code N × featureSize} values
   * @param labels N labels in {@code [0, numClasses)}
   * @param sampleShape one sample's shape, e.g. {@code {1, 28, 28}}
   * @param numClasses number of classes
   * @throws IllegalArgumentException when sizes disagree, a shape dimension is not positive, {@code
   *     numClasses < 1} or a label is out of range
   */
  public Dataset(float[] features, int[] labels, int[] sampleShape, int numClasses) {
    this(null, features, labels, sampleShape, numClasses);
  }

  /**
   * Creates an image data set stored as unsigned bytes; the array is used as given (not copied).
   *
   * @param pixels row-major {@code N × featureSize} unsigned bytes; feature value = pixel / 255f
   * @param labels N labels in {@code [0, numClasses)}
   * @param sampleShape one sample's shape, e.g. {@code {1, 28, 28}}
   * @param numClasses number of classes
   * @return the data set
   * @throws IllegalArgumentException when sizes disagree, a shape dimension is not positive, {@code
   *     numClasses < 1} or a label is out of range
   */
  public static Dataset ofPixels(byte[] pixels, int[] labels, int[] sampleShape, int numClasses) {
    return new Dataset(pixels, null, labels, sampleShape, numClasses);
  }

  private Dataset(
      byte[] pixels, float[] features, int[] labels, int[] sampleShape, int numClasses) {
    Objects.requireNonNull(labels, "labels");
    if (pixels == null && features == null) {
      throw new NullPointerException("features");
    }
    if (sampleShape.length == 0) {
      throw new IllegalArgumentException("sample shape must have at least one dimension");
    }
    long product = 1;
    for (int d : sampleShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "sample shape dimensions must be > 0, found " + Arrays.toString(sampleShape));
      }
      product *= d;
      if (product > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "sample shape " + Arrays.toString(sampleShape) + " has too many values");
      }
    }
    int size = (int) product;
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, found " + numClasses);
    }
    long stored = pixels != null ? pixels.length : features.length;
    if ((long) labels.length * size != stored) {
      throw new IllegalArgumentException(
          "features have " + stored + " values, expected " + labels.length + " x " + size);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "label of sample " + i + " must be in [0, " + numClasses + "), found " + labels[i]);
      }
    }
    this.pixels = pixels;
    this.features = features;
    this.labels = labels;
    this.sampleShape = sampleShape.clone();
    this.featureSize = size;
    this.numClasses = numClasses;
  }

  /**
   * Returns the features. For a float data set this is the stored array (do not modify); for a
   * pixel data set a new array is decoded on every call (prefer {@link #rows} or {@link #pixels}).
   *
   * @return row-major {@code size() × featureSize()} values
   */
  public float[] features() {
    return features != null ? features : rows(0, size());
  }

  /**
   * Tells whether samples are stored as unsigned bytes (images).
   *
   * @return {@code true} for {@link #ofPixels} data sets
   */
  public boolean isPixels() {
    return pixels != null;
  }

  /**
   * Returns the stored pixels (not a copy: do not modify).
   *
   * @return row-major unsigned bytes
   * @throws IllegalStateException when the data set stores floats
   */
  public byte[] pixels() {
    if (pixels == null) {
      throw new IllegalStateException("this data set stores float features, not pixels");
    }
    return pixels;
  }

  /**
   * Returns the features of rows {@code [from, to)} as a new array.
   *
   * @param from first row, inclusive
   * @param to last row, exclusive
   * @return row-major {@code (to - from) × featureSize()} values
   * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= size()}
   */
  public float[] rows(int from, int to) {
    Objects.checkFromToIndex(from, to, size());
    float[] out = new float[(to - from) * featureSize];
    if (features != null) {
      System.arraycopy(features, from * featureSize, out, 0, out.length);
    } else {
      int off = from * featureSize;
      for (int i = 0; i < out.length; i++) {
        out[i] = (pixels[off + i] & 0xff) / 255f;
      }
    }
    return out;
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
   * Returns the labels, one class per sample: the targets of a classification split.
   *
   * @return the labels; do not modify
   */
  @Override
  public int[] targets() {
    return labels;
  }

  /**
   * Returns some samples as a model takes them: float32 features, pixels decoded as in {@link
   * #rows}.
   *
   * @param manager where the array goes
   * @param from first sample, inclusive
   * @param to last sample, exclusive
   * @return {@code (to - from, sample...)}
   */
  @Override
  public NDArray inputs(NDManager manager, int from, int to) {
    long[] dims = new long[sampleShape.length + 1];
    dims[0] = to - from;
    for (int i = 0; i < sampleShape.length; i++) {
      dims[i + 1] = sampleShape[i];
    }
    return manager.create(rows(from, to), new Shape(dims));
  }

  /**
   * Puts the samples in one native array, one row per sample: pixels stay unsigned bytes (a quarter
   * of the memory; the loop decodes them per batch), features float32.
   *
   * @param manager where the array goes
   * @return {@code (N, featureSize)}
   */
  @Override
  public NDArray residentInputs(NDManager manager) {
    Shape shape = new Shape(size(), featureSize);
    return pixels != null
        ? manager.create(ByteBuffer.wrap(pixels), shape, DataType.UINT8)
        : manager.create(features, shape);
  }

  /**
   * Returns the number of samples.
   *
   * @return N
   */
  @Override
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
   * Returns one sample's shape as {@code long}s, as DJL's {@code Shape} takes them.
   *
   * @return e.g. {@code {1, 28, 28}}
   */
  @Override
  public long[] sampleDims() {
    long[] out = new long[sampleShape.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sampleShape[i];
    }
    return out;
  }

  /**
   * Returns the number of classes.
   *
   * @return C
   */
  @Override
  public int numClasses() {
    return numClasses;
  }

  /**
   * Names the original file these samples are, in order, so a teacher of precomputed outputs can
   * look them up ({@link SampleRefs}). {@link #subset} keeps the names, as row numbers of that
   * file; a data set built from transformed samples (e.g. corrupted) has none.
   *
   * @param source {@link SampleRefs#TRAIN} or {@link SampleRefs#TEST}
   * @return this data set, whose row {@code i} is now row {@code i} of {@code source}
   */
  public Dataset withSource(String source) {
    this.source = Objects.requireNonNull(source, "source");
    this.sourceRows = null;
    this.sourceSize = size();
    return this;
  }

  /**
   * Returns how many samples the original file named by {@link #withSource} holds.
   *
   * @return the file's sample count, or -1 when this data set has no source
   */
  public int sourceSize() {
    return sourceSize;
  }

  /**
   * Returns which original file rows {@code [from, to)} are, if known.
   *
   * @param from first row, inclusive
   * @param to last row, exclusive
   * @return the rows in the original file, or {@code null} when this data set has no source
   */
  @Override
  public SampleRefs refs(int from, int to) {
    Objects.checkFromToIndex(from, to, size());
    if (source == null) {
      return null;
    }
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = sourceRows == null ? from + i : sourceRows[from + i];
    }
    return new SampleRefs(source, rows);
  }

  /**
   * Returns a new data set of the given rows, in the given order.
   *
   * @param indices row indices; repeats are allowed
   * @return the subset (copied), stored the same way (pixels or floats) as this one
   * @throws IndexOutOfBoundsException when an index is not a row of this data set
   */
  public Dataset subset(int[] indices) {
    int[] l = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= labels.length) {
        throw new IndexOutOfBoundsException(
            "indices[" + i + "] must be in [0, " + labels.length + "), found " + indices[i]);
      }
      l[i] = labels[indices[i]];
    }
    Dataset sub;
    if (pixels != null) {
      byte[] p = new byte[indices.length * featureSize];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(pixels, indices[i] * featureSize, p, i * featureSize, featureSize);
      }
      sub = ofPixels(p, l, sampleShape, numClasses);
    } else {
      float[] f = new float[indices.length * featureSize];
      for (int i = 0; i < indices.length; i++) {
        System.arraycopy(features, indices[i] * featureSize, f, i * featureSize, featureSize);
      }
      sub = new Dataset(f, l, sampleShape, numClasses);
    }
    sub.featureNames = featureNames;
    if (groups != null) {
      sub.groupNames = groupNames;
      sub.groups = new int[indices.length];
      for (int i = 0; i < indices.length; i++) {
        sub.groups[i] = groups[indices[i]];
      }
    }
    if (source != null) {
      sub.source = source;
      sub.sourceSize = sourceSize;
      sub.sourceRows = new int[indices.length];
      for (int i = 0; i < indices.length; i++) {
        sub.sourceRows[i] = sourceRows == null ? indices[i] : sourceRows[indices[i]];
      }
    }
    return sub;
  }

  /**
   * Names the feature values (e.g. the columns of a table, one-hot columns as {@code sex=2}).
   * {@link #subset} keeps them.
   *
   * @param names one name per feature value
   * @return this data set
   * @throws IllegalArgumentException when the count is not {@link #featureSize()}
   */
  public Dataset withFeatureNames(List<String> names) {
    if (names.size() != featureSize) {
      throw new IllegalArgumentException(
          names.size() + " feature names for " + featureSize + " features");
    }
    this.featureNames = List.copyOf(names);
    return this;
  }

  /**
   * Returns the feature names.
   *
   * @return the names given to {@link #withFeatureNames}, else {@code x0, x1, ...}
   */
  public List<String> featureNames() {
    if (featureNames != null) {
      return featureNames;
    }
    return java.util.stream.IntStream.range(0, featureSize).mapToObj(i -> "x" + i).toList();
  }

  /**
   * Attaches a group per sample (e.g. a sensitive attribute of a table kept out of the features),
   * for the group-disparity metrics. {@link #subset} keeps them.
   *
   * @param groups one group index per sample, in {@code [0, names.size())}; used as given
   * @param names the group names, by index
   * @return this data set
   * @throws IllegalArgumentException when the sizes disagree or an index is out of range
   */
  public Dataset withGroups(int[] groups, List<String> names) {
    if (groups.length != size()) {
      throw new IllegalArgumentException(groups.length + " groups for " + size() + " samples");
    }
    for (int g : groups) {
      if (g < 0 || g >= names.size()) {
        throw new IllegalArgumentException(
            "group index must be in [0, " + names.size() + "), found " + g);
      }
    }
    this.groups = groups;
    this.groupNames = List.copyOf(names);
    return this;
  }

  /**
   * Returns each sample's group (not a copy: do not modify).
   *
   * @return group indices, or {@code null} when the data set has none
   */
  public int[] groups() {
    return groups;
  }

  /**
   * Returns the group names.
   *
   * @return names by group index, empty when the data set has no groups
   */
  public List<String> groupNames() {
    return groupNames == null ? List.of() : groupNames;
  }

  /**
   * Returns this data set as plain arrays for fitted (non-DJL) models.
   *
   * @return features, labels, feature names and the content hash
   */
  public TrainingData trainingData() {
    return new TrainingData(
        features(), featureSize, labels, numClasses, featureNames(), contentHash());
  }

  /**
   * Returns the SHA-256 content hash (computed once).
   *
   * @return 64 hex digits
   */
  @Override
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
          ((pixels != null ? "u8" : "f32")
                  + ";shape="
                  + Arrays.toString(sampleShape)
                  + ";classes="
                  + numClasses
                  + ";n="
                  + size())
              .getBytes(StandardCharsets.UTF_8));
      if (pixels != null) {
        md.update(pixels);
      }
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      for (float v : features == null ? new float[0] : features) {
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
