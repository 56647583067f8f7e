package org.taqtir.core.data;

/**
 * Images read from an IDX file (unsigned bytes, 3 dimensions).
 *
 * @param count number of images
 * @param rows rows per image
 * @param cols columns per image
 * @param pixels row-major pixel values, {@code count * rows * cols} bytes (unsigned)
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {}
