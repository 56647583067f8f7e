package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * One per-sample array of a run kept in native memory, {@code (N, ...)}, and each batch's rows of
 * it in the epoch's order. Narrow arrays (labels, logits: at most {@value #EPOCH_GATHER_MAX_ROW}
 * values per row) are gathered once per epoch and sliced per batch; wide ones (e.g. a 1,200-wide
 * hidden layer) are gathered batch by batch, so an epoch never holds a second copy of them (55k ×
 * 1,200 floats are 264 MB, and page-faulting a fresh copy every epoch cost more than the batch
 * gathers).
 */
final class ResidentRows {

  private static final long EPOCH_GATHER_MAX_ROW = 64;

  private final NDArray all;
  // viewed as (N, values per row), the shape index_select gathers from
  private final NDArray flat;
  private final Shape rowShape;
  private final NativeOps ops;
  private final boolean wide;
  private NDArray epoch;

  /**
   * Wraps a resident array.
   *
   * @param all {@code (N, ...)}, owned by the run's manager
   * @param ops the row gather
   * @param perEpoch gather it once per epoch whatever its width (the targets)
   */
  ResidentRows(NDArray all, NativeOps ops, boolean perEpoch) {
    Shape shape = all.getShape();
    this.all = all;
    this.ops = ops;
    this.rowShape = shape.slice(1);
    this.flat = all.reshape(shape.get(0), shape.size() / shape.get(0));
    this.wide = !perEpoch && flat.getShape().get(1) > EPOCH_GATHER_MAX_ROW;
  }

  /**
   * Returns the whole array.
   *
   * @return {@code (N, ...)}
   */
  NDArray all() {
    return all;
  }

  /**
   * Gathers a narrow array in the epoch's order, owned by the epoch's manager.
   *
   * @param perm int64 permutation of the rows
   * @param epochManager the epoch's manager
   */
  void startEpoch(NDArray perm, NDManager epochManager) {
    epoch = wide ? null : gather(flat, perm, rowShape, epochManager, ops);
  }

  /**
   * Returns the batch's rows, shaped as the array's rows.
   *
   * @param slice the batch's positions in the epoch's order
   * @param rows the batch's rows, int64
   * @param bm the batch's manager
   * @return {@code (B, ...)}, owned by {@code bm}
   */
  NDArray batch(NDIndex slice, NDArray rows, NDManager bm) {
    if (epoch != null) {
      return StudentModel.select(epoch, slice, bm);
    }
    return gather(flat, rows, rowShape, bm, ops);
  }

  /**
   * Copies rows of a {@code (N, values)} array, shaped {@code (rows, rowShape...)}, owned by a
   * manager.
   */
  static NDArray gather(
      NDArray table, NDArray rows, Shape rowShape, NDManager manager, NativeOps ops) {
    NDArray v = ops.gatherRows(table, rows);
    v.attach(manager);
    if (rowShape.dimension() <= 1) {
      return rowShape.dimension() == 0 ? v.reshape(rows.getShape().get(0)) : v;
    }
    return v.reshape(StudentModel.batchShape(rows.getShape().get(0), rowShape));
  }
}
