package org.taqtir.core.eval.shift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.taqtir.core.data.Dataset;

class CorruptionsTest {

  private static final int[] SHAPE = {1, 28, 28};

  /**
   * Dark images with two bright seeded rectangles each: structure for blur and rotation to move.
   */
  private static Dataset shapes(int n) {
    SplittableRandom r = new SplittableRandom(7);
    byte[] px = new byte[n * 784];
    for (int i = 0; i < n; i++) {
      for (int box = 0; box < 2; box++) {
        int x0 = 4 + r.nextInt(14);
        int y0 = 4 + r.nextInt(14);
        int bw = 3 + r.nextInt(7);
        int bh = 3 + r.nextInt(7);
        for (int y = y0; y < y0 + bh; y++) {
          Arrays.fill(px, i * 784 + y * 28 + x0, i * 784 + y * 28 + x0 + bw, (byte) 220);
        }
      }
    }
    return Dataset.ofPixels(px, new int[n], SHAPE, 10);
  }

  private static Dataset constant(int n, int value) {
    byte[] px = new byte[n * 784];
    Arrays.fill(px, (byte) value);
    return Dataset.ofPixels(px, new int[n], SHAPE, 10);
  }

  private static double meanAbsDiff(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
    }
    return (double) sum / a.length;
  }

  private static int count(byte[] px, int value) {
    int c = 0;
    for (byte b : px) {
      c += (b & 0xFF) == value ? 1 : 0;
    }
    return c;
  }

  @Test
  void suiteHasFifteenDistinctMembersInKindOrder() {
    List<Corruption> all = Corruptions.all();
    assertEquals(15, all.size());
    assertEquals(15, new HashSet<>(all.stream().map(Corruption::name).toList()).size());
    assertEquals("noise-1", all.get(0).name());
    assertEquals("occlusion-3", all.get(14).name());
    assertEquals(0.16, Corruption.Kind.NOISE.param(2));
    assertEquals(30, Corruption.Kind.ROTATION.param(3));
  }

  @Test
  void sameSeedGivesByteIdenticalOutputAndLeavesInputAndLabelsAlone() {
    Dataset clean = shapes(20);
    byte[] before = clean.pixels().clone();
    for (Corruption c : Corruptions.all()) {
      Dataset a = Corruptions.apply(clean, c, 42);
      Dataset b = Corruptions.apply(clean, c, 42);
      assertArrayEquals(a.pixels(), b.pixels(), c.name());
      assertArrayEquals(clean.labels(), a.labels(), c.name());
      assertArrayEquals(SHAPE, a.sampleShape(), c.name());
    }
    assertArrayEquals(before, clean.pixels());
  }

  @Test
  void seededKindsChangeWithTheSeed() {
    Dataset clean = shapes(20);
    for (Corruption.Kind k : List.of(Corruption.Kind.NOISE, Corruption.Kind.OCCLUSION)) {
      Corruption c = new Corruption(k, 2);
      assertFalse(
          Arrays.equals(
              Corruptions.apply(clean, c, 1).pixels(), Corruptions.apply(clean, c, 2).pixels()),
          c.name());
    }
  }

  @Test
  void distortionGrowsWithSeverity() {
    Dataset clean = shapes(200);
    for (Corruption.Kind k : Corruption.Kind.values()) {
      double previous = 0;
      for (int s = 1; s <= Corruption.SEVERITIES; s++) {
        double mad =
            meanAbsDiff(clean.pixels(), Corruptions.apply(clean, new Corruption(k, s), 3).pixels());
        assertTrue(mad > previous, k + " severity " + s + ": " + mad + " <= " + previous);
        previous = mad;
      }
    }
  }

  @Test
  void constantImagesStayConstantUnderBlurAndContrast() {
    Dataset clean = constant(3, 77);
    for (int s = 1; s <= 3; s++) {
      for (Corruption.Kind k : List.of(Corruption.Kind.BLUR, Corruption.Kind.CONTRAST)) {
        assertArrayEquals(
            clean.pixels(),
            Corruptions.apply(clean, new Corruption(k, s), 5).pixels(),
            k + "-" + s);
      }
    }
  }

  @Test
  void contrastMovesEachPixelTowardsTheImageMean() {
    // 2x2 image {0, 200, 0, 200}: mean m = 100.
    // severity 1, c = 0.6: 100 + 0.6 * (0 - 100) = 40 and 100 + 0.6 * (200 - 100) = 160.
    // severity 3, c = 0.2: 100 - 20 = 80 and 100 + 20 = 120.
    byte[] img = {0, (byte) 200, 0, (byte) 200};
    Corruption mild = new Corruption(Corruption.Kind.CONTRAST, 1);
    Corruption strong = new Corruption(Corruption.Kind.CONTRAST, 3);
    assertArrayEquals(
        new byte[] {40, (byte) 160, 40, (byte) 160}, Corruptions.apply(img, 1, 2, 2, mild, 0));
    assertArrayEquals(new byte[] {80, 120, 80, 120}, Corruptions.apply(img, 1, 2, 2, strong, 0));
  }

  @Test
  void rotationTurnsCounterClockwiseAroundTheCentre() {
    // 3x3, centre (1, 1); a pixel right of the centre (x = 2, y = 1) turned 90° counter-clockwise
    // on screen (y down) lands above the centre (x = 1, y = 0), i.e. index 1; everything else
    // samples zeros.
    byte[] img = new byte[9];
    img[1 * 3 + 2] = (byte) 200;
    byte[] expected = new byte[9];
    expected[1] = (byte) 200;
    assertArrayEquals(expected, Corruptions.rotate(img, 1, 3, 3, 90));
  }

  @Test
  void occlusionZeroesExactlyOneSquareOfTheDocumentedSide() {
    // On an all-255 image the zeros are exactly the patch: 6² = 36, 10² = 100, 14² = 196.
    Dataset clean = constant(5, 255);
    int[] sides = {6, 10, 14};
    for (int s = 1; s <= 3; s++) {
      byte[] out =
          Corruptions.apply(clean, new Corruption(Corruption.Kind.OCCLUSION, s), 9).pixels();
      for (int i = 0; i < 5; i++) {
        byte[] one = Arrays.copyOfRange(out, i * 784, (i + 1) * 784);
        assertEquals(sides[s - 1] * sides[s - 1], count(one, 0), "severity " + s);
        assertEquals(784 - sides[s - 1] * sides[s - 1], count(one, 255), "severity " + s);
      }
    }
  }

  @Test
  void noiseHasTheDocumentedScale() {
    // On mid-gray 128 with σ in [0, 1] units the pixel error is 255·σ·g, g ~ N(0, 1), and
    // E|g| = sqrt(2/π) = 0.79788: σ = 0.08 → 20.4 · 0.79788 = 16.28; σ = 0.16 → 32.56
    // (clipping at 0 and 255 is more than 3.9 σ away for both and rounding is mean-zero).
    Dataset clean = constant(100, 128);
    double[] expected = {16.28, 32.56};
    for (int s = 1; s <= 2; s++) {
      byte[] out = Corruptions.apply(clean, new Corruption(Corruption.Kind.NOISE, s), 11).pixels();
      assertEquals(expected[s - 1], meanAbsDiff(clean.pixels(), out), 0.3, "severity " + s);
    }
  }

  @Test
  void badInputFailsWithTheAllowedForm() {
    Dataset floats = new Dataset(new float[784], new int[1], SHAPE, 10);
    Corruption c = new Corruption(Corruption.Kind.BLUR, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Corruptions.apply(floats, c, 0));
    assertTrue(e.getMessage().contains("{1, H, W}"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Corruption(Corruption.Kind.BLUR, 4));
    e = assertThrows(IllegalArgumentException.class, () -> Corruption.Kind.of("fog"));
    assertTrue(e.getMessage().contains("noise, blur"), e.getMessage());
    assertEquals(Corruption.Kind.ROTATION, Corruption.Kind.of("rotation"));
  }
}
