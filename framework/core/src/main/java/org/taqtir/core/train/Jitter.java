package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.SplittableRandom;

/**
 * Random small shifts of training images ({@code training.jitter}), the augmentation Hinton,
 * Vinyals and Dean (2015, section 3) used for their MNIST teacher: each image moves by a whole
 * number of pixels in [−k, k] along each axis, drawn anew per sample and step; pixels shifted in
 * from outside are 0 (Fashion-MNIST's background). Applied to the stored {@code uint8} rows before
 * they are decoded, so it costs one byte copy per batch.
 */
final class Jitter {

  private final int k;
  private final int channels;
  private final int height;
  private final int width;

  /**
   * A jitter for one sample shape.
   *
   * @param k the largest shift, pixels
   * @param sampleDims {@code (C, H, W)}
   * @param storage the resident inputs' type, which must be {@code uint8} (pixels)
   * @throws IllegalArgumentException when the samples are not images
   */
  Jitter(int k, long[] sampleDims, DataType storage) {
    if (sampleDims.length != 3 || storage != DataType.UINT8) {
      throw new IllegalArgumentException(
          "training.jitter shifts images (samples of shape (C, H, W) stored as pixels); this"
              + " data's samples are "
              + java.util.Arrays.toString(sampleDims)
              + " "
              + storage
              + ": set training.jitter: 0");
    }
    this.k = k;
    this.channels = (int) sampleDims[0];
    this.height = (int) sampleDims[1];
    this.width = (int) sampleDims[2];
  }

  /**
   * Shifts every image of a batch.
   *
   * @param raw {@code (B, C·H·W)} uint8 rows
   * @param random the step's draws
   * @param manager where the result goes
   * @return a new {@code (B, C·H·W)} uint8 array
   */
  NDArray apply(NDArray raw, SplittableRandom random, NDManager manager) {
    byte[] in = raw.toByteArray();
    int plane = height * width;
    int size = channels * plane;
    int batch = in.length / size;
    byte[] out = new byte[in.length];
    for (int b = 0; b < batch; b++) {
      int dy = random.nextInt(2 * k + 1) - k;
      int dx = random.nextInt(2 * k + 1) - k;
      shift(in, out, b * size, dy, dx, plane);
    }
    return manager.create(java.nio.ByteBuffer.wrap(out), raw.getShape(), DataType.UINT8);
  }

  /** out(y, x) = in(y − dy, x − dx) for every channel of one sample, 0 outside. */
  void shift(byte[] in, byte[] out, int offset, int dy, int dx, int plane) {
    for (int c = 0; c < channels; c++) {
      int base = offset + c * plane;
      for (int y = 0; y < height; y++) {
        int sy = y - dy;
        if (sy < 0 || sy >= height) {
          continue;
        }
        int from = Math.max(0, dx);
        int to = Math.min(width, width + dx);
        System.arraycopy(
            in, base + sy * width + from - dx, out, base + y * width + from, to - from);
      }
    }
  }
}
