package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.OptimizerConfig;
import org.taqtir.core.config.ScheduleConfig;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.run.TrainResult;

class JitterTest {

  @TempDir Path dir;

  @Test
  void movesEveryPixelByTheShiftAndFillsWithZero() {
    Jitter j = new Jitter(2, new long[] {1, 4, 5}, DataType.UINT8);
    byte[] in = new byte[20];
    for (int i = 0; i < 20; i++) {
      in[i] = (byte) (i + 1);
    }
    for (int dy = -2; dy <= 2; dy++) {
      for (int dx = -2; dx <= 2; dx++) {
        byte[] out = new byte[20];
        j.shift(in, out, 0, dy, dx, 20);
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 5; x++) {
            int sy = y - dy;
            int sx = x - dx;
            int want = sy >= 0 && sy < 4 && sx >= 0 && sx < 5 ? sy * 5 + sx + 1 : 0;
            assertEquals(want, out[y * 5 + x], "dy " + dy + " dx " + dx + " at " + y + "," + x);
          }
        }
      }
    }
  }

  @Test
  void shiftsStayWithinKAndAreSeeded() {
    Jitter j = new Jitter(1, new long[] {1, 3, 3}, DataType.UINT8);
    byte[] one = new byte[9];
    one[4] = 7; // the centre pixel: after a shift of at most 1 it is still inside
    byte[] batch = new byte[9 * 200];
    for (int b = 0; b < 200; b++) {
      System.arraycopy(one, 0, batch, b * 9, 9);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray raw = m.create(java.nio.ByteBuffer.wrap(batch), new Shape(200, 9), DataType.UINT8);
      byte[] a = j.apply(raw, new SplittableRandom(5), m).toByteArray();
      assertArrayEquals(a, j.apply(raw, new SplittableRandom(5), m).toByteArray());
      assertNotEquals(
          java.util.Arrays.toString(a),
          java.util.Arrays.toString(j.apply(raw, new SplittableRandom(6), m).toByteArray()));
      java.util.Set<Integer> where = new java.util.HashSet<>();
      for (int b = 0; b < 200; b++) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
          sum += a[b * 9 + i];
          if (a[b * 9 + i] == 7) {
            where.add(i);
          }
        }
        assertEquals(7, sum, "the pixel is moved, not lost or copied");
      }
      assertEquals(9, where.size(), "all nine shifts in [-1, 1]² occur: " + where);
    }
  }

  @Test
  void refusesDataThatIsNotImages() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Jitter(2, new long[] {64}, DataType.INT32));
    assertTrue(e.getMessage().contains("training.jitter shifts images"), e.getMessage());
  }

  @Test
  void aJitteredTrainingIsReproducibleAndDiffersFromAPlainOne() throws IOException {
    DataSplits data = TrainerFixture.data(dir);
    TrainResult a = train(data, 2);
    TrainResult b = train(data, 2);
    TrainResult plain = train(data, 0);
    assertTrue(a.ok(), a.error());
    assertEquals(a.bits(), b.bits());
    assertNotEquals(a.bits(), plain.bits());
    assertTrue(a.testAcc() > 0.5, "still learns: " + a.testAcc());
  }

  private static TrainResult train(DataSplits data, int jitter) {
    TrainingConfig c =
        new TrainingConfig(
            2,
            32,
            new OptimizerConfig("sgd", 0.05, 0.9, 0.9, 0.999, 1e-8, 0.0),
            new ScheduleConfig("constant", 1, 0.1, 0.0, 0),
            jitter);
    return TrainerFixture.trainer(
            c,
            1,
            List.of(TrainerFixture.term("hinton-kd", java.util.Map.of())),
            TrainerFixture.fakeTeacher(data),
            TrainingListener.NONE)
        .train(TrainerFixture.student(data), data, true, null, null);
  }
}
