package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MungeTest {

  // rows: (x, c=a, c=b); nearest neighbours: 0<->1, 2->1
  private static final float[] X = {0f, 1, 0, 1f, 0, 1, 3f, 1, 0};
  private static final List<String> NAMES = List.of("x", "c=a", "c=b");

  @Test
  void withoutAlterationEveryPassCopiesTheRows() {
    float[] out = Munge.generate(X, 3, NAMES, 2, 0.0, 1.0, 5);
    assertArrayEquals(X, Arrays.copyOfRange(out, 0, 9));
    assertArrayEquals(X, Arrays.copyOfRange(out, 9, 18));
  }

  @Test
  void nearestNeighboursByEuclideanDistance() {
    assertArrayEquals(new int[] {1, 0, 1}, Munge.nearest(X, 3, 3));
  }

  @Test
  void alwaysAlteringSwapsOneHotBlocksWholeAndRedrawsNumbersNearTheNeighbour() {
    // p = 1, s huge (sd ~ 0): row 0 and its neighbour 1 exchange everything, then row 1 and its
    // neighbour 0 exchange back, then row 2 and its neighbour 1 (= original row 1) exchange
    float[] out = Munge.generate(X, 3, NAMES, 1, 1.0, 1e9, 7);
    assertArrayEquals(new float[] {0f, 1, 0, 3f, 1, 0, 1f, 0, 1}, out, 1e-6f);
    float[] many = Munge.generate(X, 3, NAMES, 50, 0.5, 1.0, 7);
    for (int i = 0; i < many.length / 3; i++) {
      assertEquals(1f, many[3 * i + 1] + many[3 * i + 2], "row " + i + " stays one-hot");
    }
  }

  @Test
  void deterministicForASeed() {
    assertArrayEquals(
        Munge.generate(X, 3, NAMES, 3, 0.5, 1.0, 11), Munge.generate(X, 3, NAMES, 3, 0.5, 1.0, 11));
    assertFalse(
        Arrays.equals(
            Munge.generate(X, 3, NAMES, 3, 0.5, 1.0, 11),
            Munge.generate(X, 3, NAMES, 3, 0.5, 1.0, 12)));
    assertThrows(IllegalArgumentException.class, () -> Munge.generate(X, 3, NAMES, 0, 0.5, 1, 1));
  }
}
