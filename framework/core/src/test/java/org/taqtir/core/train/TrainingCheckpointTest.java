package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.run.EpochMetrics;

/**
 * A damaged checkpoint file is refused in one line naming it, never resumed from: flipped weight
 * bytes (checksum), a damaged count (checked against the file's size before allocating) and a
 * negative length.
 */
class TrainingCheckpointTest {

  @TempDir Path dir;

  /** Offsets in the file: the header is 64 bytes, then the trainable arrays' count. */
  private static final int TRAINABLE_COUNT = 64;

  private static final int FIRST_LENGTH = TRAINABLE_COUNT + 4;
  private static final int FIRST_VALUES = FIRST_LENGTH + 4;

  private static TrainingCheckpoint checkpoint() {
    float[] w = new float[256];
    for (int i = 0; i < w.length; i++) {
      w[i] = i / 7f;
    }
    return new TrainingCheckpoint(
        5,
        2,
        40,
        40,
        1.5,
        0.25,
        1,
        0.8,
        List.of(w, new float[] {1, 2}),
        List.of(new float[256], new float[2]),
        new float[][] {w.clone(), new float[] {3, 4}},
        Arrays.asList(new byte[] {9, 8}, null),
        List.of(
            new EpochMetrics(0, 1, 1, 0.5, 0.1, 1, 100),
            new EpochMetrics(1, 0.5, 0.6, 0.8, 0.1, 1, 120)));
  }

  private Path written() {
    Path f = dir.resolve("run/checkpoint.bin");
    checkpoint().write(f);
    return f;
  }

  private static void putInt(Path f, int offset, int value) throws IOException {
    byte[] b = Files.readAllBytes(f);
    ByteBuffer.wrap(b).putInt(offset, value);
    Files.write(f, b);
  }

  private static String refused(Path f) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void whatIsWrittenIsReadBack() {
    TrainingCheckpoint c = TrainingCheckpoint.read(written());
    TrainingCheckpoint w = checkpoint();
    assertEquals(w.seed(), c.seed());
    assertEquals(w.history(), c.history());
    assertArrayEquals(w.trainable().get(0), c.trainable().get(0));
    assertArrayEquals(w.bestWeights()[1], c.bestWeights()[1]);
    assertArrayEquals(w.strategyStates().get(0), c.strategyStates().get(0));
    assertEquals(null, c.strategyStates().get(1));
    assertEquals(2, TrainingCheckpoint.epochsDone(dir.resolve("run/checkpoint.bin")));
  }

  @Test
  void overwrittenWeightBytesAreCaughtByTheChecksum() throws IOException {
    Path f = written();
    byte[] b = Files.readAllBytes(f);
    for (int i = FIRST_VALUES + 40; i < FIRST_VALUES + 48; i++) {
      b[i] = (byte) 0x7f;
    }
    Files.write(f, b);
    String m = refused(f);
    assertTrue(m.contains("checkpoint is damaged (CRC32"), m);
    assertTrue(m.endsWith("delete it to train this run again from its first epoch"), m);
  }

  @Test
  void aDamagedArrayCountIsRefusedBeforeAllocating() throws IOException {
    Path f = written();
    putInt(f, TRAINABLE_COUNT, Integer.MAX_VALUE);
    String m = refused(f);
    assertTrue(m.contains("trainable arrays: a count of 2147483647, but"), m);
    putInt(f, TRAINABLE_COUNT, 2);
    putInt(f, FIRST_LENGTH, 1 << 30);
    assertTrue(refused(f).contains("a length of 1073741824 floats"));
  }

  @Test
  void aNegativeLengthNamesTheFile() throws IOException {
    Path f = written();
    putInt(f, FIRST_LENGTH, -7);
    assertTrue(refused(f).contains("trainable arrays [0]: a length of -7 floats"));
  }

  @Test
  void aTruncatedCopyIsRefused() throws IOException {
    Path f = written();
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length - 20));
    String m = refused(f);
    assertTrue(m.contains("history epochs: a count of 2, but 96 bytes are left"), m);
    Files.write(f, Arrays.copyOf(b, 40));
    assertTrue(refused(f).contains("checkpoint is truncated"));
  }
}
