package org.taqtir.strategy.feature;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.TapPair;

/**
 * The student and teacher feature maps {@code (B, C, H, W)} that AT and NST compare, brought to a
 * common spatial size: the larger map is average-pooled to the smaller one exactly as PyTorch's
 * {@code adaptive_avg_pool2d} does (output cell i averages input rows ⌊i·H/h⌋ .. ⌈(i+1)·H/h⌉ − 1,
 * likewise for columns), as in RepDistiller's {@code Attention} and {@code NSTLoss}. The pooling is
 * separable, so it is two constant matrix products {@code P_h · A · P_wᵀ} built once in {@link
 * #prepare}.
 */
final class SpatialMaps {

  private final String strategy;
  private final TapPair taps;
  private NDArray studentRows;
  private NDArray studentCols;
  private NDArray teacherRows;
  private NDArray teacherCols;

  SpatialMaps(String strategy, TapPair taps) {
    this.strategy = strategy;
    this.taps = taps;
  }

  /**
   * Checks both taps are maps {@code (C, H, W)} and builds the pooling matrices.
   *
   * @param context the strategy context with the taps' shapes
   * @throws IllegalArgumentException when a tap is not a {@code (C, H, W)} map
   */
  void prepare(StrategyContext context) {
    Shape s = map(context.studentTap(taps.studentLayer()), "student", taps.studentLayer());
    Shape t = map(context.teacherTap(taps.teacherLayer()), "teacher", taps.teacherLayer());
    long h = Math.min(s.get(1), t.get(1));
    long w = Math.min(s.get(2), t.get(2));
    NDManager m = context.manager();
    studentRows = s.get(1) > h ? pooling(m, s.get(1), h) : null;
    studentCols = s.get(2) > w ? pooling(m, s.get(2), w).transpose() : null;
    teacherRows = t.get(1) > h ? pooling(m, t.get(1), h) : null;
    teacherCols = t.get(2) > w ? pooling(m, t.get(2), w).transpose() : null;
  }

  private Shape map(Shape shape, String who, String tap) {
    if (shape.dimension() != 3) {
      throw new IllegalArgumentException(
          strategy
              + ": "
              + who
              + " tap "
              + tap
              + " has shape "
              + shape
              + "; "
              + strategy
              + " needs a (C, H, W) feature map, e.g. block1 or block2 of the cnn architecture");
    }
    return shape;
  }

  /** Row i averages inputs ⌊i·n/m⌋ .. ⌈(i+1)·n/m⌉ − 1 (adaptive average pooling). */
  static float[] poolingMatrix(long n, long m) {
    float[] p = new float[(int) (m * n)];
    for (long i = 0; i < m; i++) {
      long from = Math.floorDiv(i * n, m);
      long to = -Math.floorDiv(-(i + 1) * n, m);
      for (long j = from; j < to; j++) {
        p[(int) (i * n + j)] = 1f / (to - from);
      }
    }
    return p;
  }

  private static NDArray pooling(NDManager manager, long n, long m) {
    return manager.create(poolingMatrix(n, m), new Shape(m, n));
  }

  /**
   * Returns the student's map at the common size.
   *
   * @param f the student's tap, {@code (B, C, H, W)}
   * @return {@code (B, C, h, w)}, in the graph
   */
  NDArray student(NDArray f) {
    return pool(f, studentRows, studentCols);
  }

  /**
   * Returns the teacher's map at the common size.
   *
   * @param f the teacher's tap, {@code (B, C, H, W)}
   * @return {@code (B, C, h, w)}
   */
  NDArray teacher(NDArray f) {
    return pool(f, teacherRows, teacherCols);
  }

  private static NDArray pool(NDArray f, NDArray rows, NDArray cols) {
    if (rows != null) {
      // the pooling matrix is the run's and on the left: move the result to the batch's manager
      NDArray pooled = like(rows, f).matMul(f);
      pooled.attach(f.getManager());
      f = pooled;
    }
    if (cols != null) {
      f = f.matMul(like(cols, f));
    }
    return f;
  }

  /** The constant in {@code f}'s type; a converted copy lives in {@code f}'s (batch) manager. */
  private static NDArray like(NDArray constant, NDArray f) {
    DataType type = f.getDataType();
    if (constant.getDataType() == type) {
      return constant;
    }
    NDArray c = constant.toType(type, true);
    c.attach(f.getManager());
    return c;
  }
}
