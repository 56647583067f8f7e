package org.taqtir.core.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.Teacher;
import org.taqtir.core.data.Dataset;

class TeacherOutputCacheTest {

  @TempDir Path dir;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** logits = first 3 features × scale; tap "sum" = row sums; counts forward calls. */
  private static final class FakeTeacher implements Teacher {
    final float scale;
    final AtomicInteger calls = new AtomicInteger();

    FakeTeacher(float scale) {
      this.scale = scale;
    }

    @Override
    public StepOutputs forward(NDArray input, Set<String> taps) {
      calls.incrementAndGet();
      NDArray flat = input.reshape(input.getShape().get(0), -1);
      NDArray logits = flat.get(new NDIndex(":, 0:3")).mul(scale);
      if (taps.contains("map")) {
        return new StepOutputs(logits, Map.of("map", flat.reshape(-1, 2, 1, 2)));
      }
      return taps.contains("sum")
          ? new StepOutputs(logits, Map.of("sum", flat.sum(new int[] {1}, true)))
          : new StepOutputs(logits, Map.of());
    }

    @Override
    public List<String> taps() {
      return List.of("sum");
    }

    @Override
    public String fingerprint() {
      return "fake-" + scale;
    }

    @Override
    public String describe() {
      return "fake";
    }

    @Override
    public void close() {}
  }

  private static Dataset data(int n, float bump) {
    float[] f = new float[n * 4];
    int[] y = new int[n];
    for (int i = 0; i < f.length; i++) {
      f[i] = (i % 7) / 7f;
    }
    f[5] += bump;
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
    }
    return new Dataset(f, y, new int[] {1, 2, 2}, 3);
  }

  @Test
  void computesOnceThenReadsIdenticalValuesFromDisk() {
    Dataset d = data(2500, 0);
    FakeTeacher t = new FakeTeacher(2);
    TeacherOutputCache cache = new TeacherOutputCache(dir);
    var first = cache.get(t, d, Set.of("sum"), manager);
    assertFalse(first.hit());
    assertEquals(3, t.calls.get(), "chunks of 1000");
    assertEquals(2500 * 3, first.logits().length);
    assertEquals(2 * d.features()[4 * 7 + 2], first.logits()[7 * 3 + 2], 1e-6);
    float rowSum = 0;
    for (int k = 0; k < 4; k++) {
      rowSum += d.features()[4 * 11 + k];
    }
    assertEquals(rowSum, TeacherOutputCache.floats(first.outputs().get("sum"))[11], 1e-5);

    var second = cache.get(t, d, Set.of("sum"), manager);
    assertTrue(second.hit());
    assertEquals(3, t.calls.get(), "no forward on a hit");
    assertArrayEquals(first.logits(), second.logits());
    assertArrayEquals(
        TeacherOutputCache.floats(first.outputs().get("sum")),
        TeacherOutputCache.floats(second.outputs().get("sum")));
    assertEquals(first.file(), second.file());
  }

  @Test
  void aFourDimensionalTapKeepsItsShapeOnDisk() {
    Dataset d = data(30, 0);
    TeacherOutputCache cache = new TeacherOutputCache(dir);
    var first = cache.get(new FakeTeacher(2), d, Set.of("map"), manager);
    var second = cache.get(new FakeTeacher(2), d, Set.of("map"), manager);
    assertFalse(first.hit());
    assertTrue(second.hit());
    assertEquals(new Shape(2, 1, 2), first.shapes().get("map"));
    assertEquals(new Shape(2, 1, 2), second.shapes().get("map"));
    assertEquals(new Shape(3), second.shapes().get(TeacherOutputCache.LOGITS));
    assertArrayEquals(d.features(), TeacherOutputCache.floats(second.outputs().get("map")));
  }

  @Test
  void aNewTeacherOrChangedDataOrOtherTapsNeverReuseTheFile() {
    TeacherOutputCache cache = new TeacherOutputCache(dir);
    var base = cache.get(new FakeTeacher(2), data(50, 0), Set.of(), manager);
    var otherTeacher = cache.get(new FakeTeacher(3), data(50, 0), Set.of(), manager);
    var otherData = cache.get(new FakeTeacher(2), data(50, 0.5f), Set.of(), manager);
    var otherTaps = cache.get(new FakeTeacher(2), data(50, 0), Set.of("sum"), manager);
    assertFalse(otherTeacher.hit());
    assertFalse(otherData.hit());
    assertFalse(otherTaps.hit());
    assertNotEquals(base.file(), otherTeacher.file());
    assertNotEquals(base.file(), otherData.file());
    assertNotEquals(base.file(), otherTaps.file());
    assertEquals(1.5f, otherTeacher.logits()[2] / base.logits()[2], 1e-5, "scale 3 vs 2");
  }

  @Test
  void aCorruptOrTruncatedFileIsRecomputed() throws IOException {
    Dataset d = data(40, 0);
    FakeTeacher t = new FakeTeacher(2);
    TeacherOutputCache cache = new TeacherOutputCache(dir);
    var first = cache.get(t, d, Set.of(), manager);
    byte[] bytes = Files.readAllBytes(first.file());
    bytes[bytes.length - 3] ^= 0x40;
    Files.write(first.file(), bytes);
    var afterFlip = cache.get(t, d, Set.of(), manager);
    assertFalse(afterFlip.hit(), "CRC mismatch detected");
    assertArrayEquals(first.logits(), afterFlip.logits());
    Files.write(first.file(), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertFalse(cache.get(t, d, Set.of(), manager).hit(), "truncation detected");
    assertTrue(cache.get(t, d, Set.of(), manager).hit(), "rewritten file is reused");
  }
}
