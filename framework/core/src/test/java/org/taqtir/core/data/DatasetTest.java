package org.taqtir.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

  private static final int[] SHAPE = {1, 2, 2};

  @Test
  void hashFollowsEveryPixelAndLabel() {
    byte[] px = new byte[2 * 4];
    Dataset a = Dataset.ofPixels(px, new int[] {0, 1}, SHAPE, 2);
    assertEquals(64, a.contentHash().length());
    byte[] px2 = px.clone();
    px2[5] = 1;
    assertNotEquals(
        a.contentHash(), Dataset.ofPixels(px2, new int[] {0, 1}, SHAPE, 2).contentHash());
    assertNotEquals(
        a.contentHash(), Dataset.ofPixels(px, new int[] {1, 1}, SHAPE, 2).contentHash());
    assertEquals(
        a.contentHash(), Dataset.ofPixels(px.clone(), new int[] {0, 1}, SHAPE, 2).contentHash());
  }

  @Test
  void hashFollowsShapeClassesOrderAndSubset() {
    byte[] px = {1, 2, 3, 4, 5, 6, 7, 8};
    Dataset a = Dataset.ofPixels(px, new int[] {0, 1}, SHAPE, 2);
    assertNotEquals(
        a.contentHash(), Dataset.ofPixels(px, new int[] {0, 1}, new int[] {4}, 2).contentHash());
    assertNotEquals(
        a.contentHash(), Dataset.ofPixels(px, new int[] {0, 1}, SHAPE, 3).contentHash());
    assertNotEquals(a.contentHash(), a.subset(new int[] {1, 0}).contentHash(), "order");
    assertNotEquals(a.contentHash(), a.subset(new int[] {0}).contentHash(), "subset");
    assertEquals(a.contentHash(), a.subset(new int[] {0, 1}).contentHash());
    float[] f = {1, 2, 3, 4, 5, 6, 7, 8};
    Dataset floats = new Dataset(f, new int[] {0, 1}, SHAPE, 2);
    float[] g = f.clone();
    g[7] = Math.nextUp(8f);
    assertNotEquals(floats.contentHash(), new Dataset(g, new int[] {0, 1}, SHAPE, 2).contentHash());
  }

  @Test
  void pixelsDecodeToPixelOver255() {
    byte[] px = {0, (byte) 255, (byte) 128, 7};
    Dataset d = Dataset.ofPixels(px, new int[] {0}, SHAPE, 1);
    assertTrue(d.isPixels());
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 7 / 255f}, d.features());
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 7 / 255f}, d.rows(0, 1));
  }

  @Test
  void subsetCopiesRowsInTheGivenOrder() {
    float[] f = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};
    Dataset d = new Dataset(f, new int[] {0, 1, 2}, SHAPE, 3);
    assertEquals(3, d.size());
    assertEquals(4, d.featureSize());
    assertArrayEquals(SHAPE, d.sampleShape());
    assertArrayEquals(new long[] {1, 2, 2}, d.sampleDims());
    Dataset s = d.subset(new int[] {2, 0});
    assertArrayEquals(new float[] {2, 2, 2, 2, 0, 0, 0, 0}, s.features());
    assertArrayEquals(new int[] {2, 0}, s.labels());
    assertEquals(3, s.numClasses());
    f[8] = 9;
    assertEquals(2f, s.features()[0], "a subset is a copy");
    assertFalse(s.isPixels());
    assertThrows(IllegalStateException.class, s::pixels);
    var out = assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {0, 3}));
    assertEquals("indices[1] must be in [0, 3), found 3", out.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> d.rows(2, 4));
  }

  @Test
  void invalidContentIsRejectedWithTheBadValue() {
    var label =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dataset.ofPixels(new byte[8], new int[] {0, 2}, SHAPE, 2));
    assertEquals("label of sample 1 must be in [0, 2), found 2", label.getMessage());
    var negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dataset(new float[8], new int[] {-1, 0}, SHAPE, 2));
    assertEquals("label of sample 0 must be in [0, 2), found -1", negative.getMessage());
    var size =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Dataset(new float[7], new int[] {0, 1}, SHAPE, 2));
    assertEquals("features have 7 values, expected 2 x 4", size.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Dataset(new float[0], new int[0], new int[] {1, 0, 2}, 2));
    assertThrows(
        IllegalArgumentException.class, () -> new Dataset(new float[4], new int[] {0}, SHAPE, 0));
  }

  @Test
  void idxDatasetInfersClassesAndChecksCounts(@TempDir Path dir) {
    Path img = dir.resolve("i");
    Path lab = dir.resolve("l");
    IdxWriter.writeImages(img, new IdxImages(3, 1, 2, new byte[] {1, 2, 3, 4, 5, 6}), false);
    IdxWriter.writeLabels(lab, new int[] {0, 4, 2}, true);
    Dataset d = IdxDataset.load(img, lab);
    assertEquals(5, d.numClasses());
    assertArrayEquals(new int[] {1, 1, 2}, d.sampleShape());
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, d.pixels());
    IdxWriter.writeLabels(lab, new int[] {0, 1}, true);
    var e = assertThrows(IllegalArgumentException.class, () -> IdxDataset.load(img, lab));
    assertEquals("i has 3 images but l has 2 labels", e.getMessage());
  }

  @Test
  void subsetsKeepTheRowsOfTheOriginalFile() {
    Dataset file =
        new Dataset(new float[] {0, 1, 2, 3, 4}, new int[] {0, 1, 0, 1, 0}, new int[] {1}, 2)
            .withSource(org.taqtir.api.SampleRefs.TEST);
    Dataset sub = file.subset(new int[] {4, 2, 3}).subset(new int[] {2, 0});
    var refs = sub.refs(0, 2);
    assertEquals("test", refs.source());
    assertArrayEquals(new int[] {3, 4}, refs.indices());
    assertEquals(5, sub.sourceSize());
    assertArrayEquals(new int[] {1, 2}, file.refs(1, 3).indices());
    assertEquals(null, new Dataset(new float[] {0}, new int[] {0}, new int[] {1}, 2).refs(0, 1));
  }
}
