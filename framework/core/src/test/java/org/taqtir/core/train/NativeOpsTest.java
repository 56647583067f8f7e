package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.Term;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.run.TrainResult;

/**
 * The PyTorch fast paths (direct backward, cached gradient handles, in-place zeroing, the embedding
 * row gather) and the plain DJL path they stand in for train the same model bit for bit.
 */
class NativeOpsTest {

  @TempDir Path dir;

  private static TrainResult kdWith(String ops, DataSplits data) {
    String before = System.getProperty(NativeOps.PROPERTY);
    try {
      if (ops == null) {
        System.clearProperty(NativeOps.PROPERTY);
      } else {
        System.setProperty(NativeOps.PROPERTY, ops);
      }
      List<Term.Bound> terms =
          List.of(
              TrainerFixture.term("hinton-kd", Map.of()), TrainerFixture.term("fitnets", Map.of()));
      return TrainerFixture.trainer(
              TrainerFixture.training(2, 0.05),
              9,
              terms,
              TrainerFixture.fakeTeacher(data),
              TrainingListener.NONE)
          .train(TrainerFixture.student(data), data, true, null, null);
    } finally {
      if (before == null) {
        System.clearProperty(NativeOps.PROPERTY);
      } else {
        System.setProperty(NativeOps.PROPERTY, before);
      }
    }
  }

  @Test
  void theFastPathAndTheDjlPathTrainTheSameModel() throws Exception {
    assertInstanceOf(PtNativeOps.class, NativeOps.forEngine());
    DataSplits data = TrainerFixture.data(dir);
    TrainResult fast = kdWith(null, data);
    TrainResult plain = kdWith("djl", data);
    assertTrue(fast.ok() && plain.ok(), fast.error() + " / " + plain.error());
    assertEquals(fast.bits(), plain.bits());
  }
}
