package org.taqtir.core.teacher;

/**
 * IEEE 754 half-precision bits of float32 values that are exactly representable at half precision
 * (the teacher-output cache stores such values in 2 bytes). Java 17 has no conversion of its own.
 */
final class Float16 {

  private Float16() {}

  /**
   * Returns the half-precision bits of a value.
   *
   * @param f a value representable at half precision (rounded beforehand)
   * @return its 16 bits
   * @throws IllegalArgumentException when the value would change
   */
  static short toBits(float f) {
    int b = Float.floatToRawIntBits(f);
    int sign = (b >>> 16) & 0x8000;
    int exp = (b >>> 23) & 0xff;
    int mant = b & 0x7fffff;
    short h;
    if (exp == 0xff) {
      h = (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    } else if (exp == 0) {
      h = (short) sign;
    } else {
      int e = exp - 112;
      if (e >= 31) {
        h = (short) (sign | 0x7c00);
      } else if (e <= 0) {
        int shift = 14 - e;
        h = shift > 24 ? (short) sign : (short) (sign | ((mant | 0x800000) >> shift));
      } else {
        h = (short) (sign | (e << 10) | (mant >> 13));
      }
    }
    if (!Float.isNaN(f) && Float.floatToRawIntBits(fromBits(h)) != b) {
      throw new IllegalArgumentException(
          "teacher outputs: " + f + " is not a float16 value (round it before caching)");
    }
    return h;
  }

  /**
   * Returns the value of half-precision bits.
   *
   * @param h 16 bits
   * @return the value as float32 (exact)
   */
  static float fromBits(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int e = (bits >>> 10) & 0x1f;
    int m = bits & 0x3ff;
    if (e == 0) {
      float v = m * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    if (e == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (m << 13));
    }
    return Float.intBitsToFloat(sign | ((e + 112) << 23) | (m << 13));
  }
}
