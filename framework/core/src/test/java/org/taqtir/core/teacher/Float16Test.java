package org.taqtir.core.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Half-precision bits against libtorch's own float16 conversion (through DJL). */
class Float16Test {

  @Test
  void bitsMatchLibtorchAndRoundTripExactly() {
    SplittableRandom r = new SplittableRandom(1);
    float[] values = new float[20000];
    for (int i = 0; i < values.length; i++) {
      double scale = Math.pow(10, r.nextInt(-9, 5));
      values[i] = (float) (r.nextGaussian() * scale);
    }
    values[0] = 0f;
    values[1] = -0f;
    values[2] = 65504f;
    values[3] = -1e4f;
    values[4] = Float.NEGATIVE_INFINITY;
    values[5] = 6e-8f; // a subnormal half
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray half = m.create(values).toType(DataType.FLOAT16, false);
      float[] rounded = half.toType(DataType.FLOAT32, false).toFloatArray();
      ByteBuffer bits = ByteBuffer.wrap(half.toByteArray()).order(ByteOrder.nativeOrder());
      for (int i = 0; i < values.length; i++) {
        short want = bits.getShort(i * 2);
        assertEquals(want, Float16.toBits(rounded[i]), "value " + values[i]);
        assertEquals(
            Float.floatToRawIntBits(rounded[i]),
            Float.floatToRawIntBits(Float16.fromBits(want)),
            "value " + values[i]);
      }
    }
  }

  @Test
  void aValueThatWouldChangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Float16.toBits(0.1f));
    assertThrows(IllegalArgumentException.class, () -> Float16.toBits(1e6f));
  }
}
