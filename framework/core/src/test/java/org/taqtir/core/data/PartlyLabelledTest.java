package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PartlyLabelledTest {

  /** 100 rows: class i % 4 for the first 80, class 3 for the last 20 (so 3 has 40). */
  private static int[] labels() {
    int[] y = new int[100];
    for (int i = 0; i < y.length; i++) {
      y[i] = i < 80 ? i % 4 : 3;
    }
    return y;
  }

  @Test
  void choosesTheSameCountPerClassReproduciblyAndAscending() {
    int[] y = labels();
    int[] a = PartlyLabelled.choose(y, 4, 10, 42, "data.labelled");
    assertArrayEquals(
        a, PartlyLabelled.choose(y, 4, 10, 42, "data.labelled"), "same seed, same rows");
    assertNotEquals(
        Arrays.toString(a),
        Arrays.toString(PartlyLabelled.choose(y, 4, 10, 7, "data.labelled")),
        "seeded");
    int[] perClass = new int[4];
    for (int i : a) {
      perClass[y[i]]++;
    }
    // 10 over 4 classes: the first two get 3
    assertArrayEquals(new int[] {3, 3, 2, 2}, perClass);
    assertEquals(10, Arrays.stream(a).distinct().count());
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, a);
  }

  @Test
  void aClassWithTooFewRowsIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PartlyLabelled.choose(labels(), 4, 90, 1, "data.labelled"));
    assertTrue(
        e.getMessage().contains("class 0") && e.getMessage().contains("has 20"), e.getMessage());
  }

  @Test
  void withholdsTheOtherLabelsAndCyclesTheLabelledOnes() {
    int[] y = labels();
    byte[] pixels = new byte[100 * 4];
    for (int i = 0; i < 100; i++) {
      pixels[i * 4] = (byte) i;
    }
    Dataset all = Dataset.ofPixels(pixels, y, new int[] {1, 2, 2}, 4);
    int[] rows = PartlyLabelled.choose(y, 4, 8, 3, "data.labelled");
    PartlyLabelled p = PartlyLabelled.of(all, rows);
    assertEquals(100, p.size());
    int known = 0;
    for (int i = 0; i < 100; i++) {
      boolean kept = Arrays.binarySearch(rows, i) >= 0;
      assertEquals(kept ? y[i] : PartlyLabelled.UNLABELLED, p.targets()[i], "row " + i);
      known += kept ? 1 : 0;
    }
    assertEquals(8, known);
    assertNotEquals(all.contentHash(), p.contentHash());

    Dataset cycled = p.labelledCycled();
    assertEquals(100, cycled.size());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = cycled.residentInputs(m);
      for (int i = 0; i < 100; i++) {
        int source = rows[i % rows.length];
        assertEquals(y[source], cycled.labels()[i]);
        assertEquals(source, Byte.toUnsignedInt(x.get(i).toByteArray()[0]), "row " + i);
      }
    }
  }
}
