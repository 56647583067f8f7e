package org.taqtir.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Student;
import org.taqtir.core.config.OptimizerConfig;
import org.taqtir.core.config.ScheduleConfig;
import org.taqtir.core.config.Term;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.TrainResult;

/**
 * A run that stops after a checkpoint and is resumed from it ends bitwise equal to one that never
 * stopped: with Adam (both moments and the step count), a cosine schedule, dropout (the engine's
 * generator) and a trainable FitNets regressor. The killed-process version is {@code
 * KilledStudyResumeTest} in the CLI.
 */
class CheckpointResumeTest {

  @TempDir Path dir;

  private static final int EPOCHS = 4;

  private static TrainingConfig adamCosine() {
    return new TrainingConfig(
        EPOCHS,
        32,
        new OptimizerConfig("adam", 0.01, 0.9, 0.9, 0.999, 1e-8, 1e-4),
        new ScheduleConfig("cosine", 1, 0.1, 0.0, 1));
  }

  private static Student dropoutStudent(DataSplits data) {
    var p = TrainerFixture.REGISTRY.students().get("mlp");
    return p.create(
        ParamResolver.resolve(
            "mlp", p.params(), Map.of("hidden", List.of(16), "dropout", 0.3), "student"),
        new ModelShape(new ai.djl.ndarray.types.Shape(1, 28, 28), data.train().numClasses()));
  }

  private static List<Term.Bound> terms() {
    return List.of(
        TrainerFixture.term("labels-only", Map.of()), TrainerFixture.term("fitnets", Map.of()));
  }

  private TrainResult train(DataSplits data, Path checkpoint, TrainingListener listener) {
    return TrainerFixture.trainer(
            adamCosine(), 11, terms(), TrainerFixture.fakeTeacher(data), listener)
        .checkpoint(checkpoint)
        .train(dropoutStudent(data), data, true, null, null);
  }

  @Test
  void resumedRunEndsBitwiseEqualToAnUninterruptedOne() throws IOException {
    DataSplits data = TrainerFixture.data(dir);
    TrainResult whole = train(data, dir.resolve("a/checkpoint.bin"), TrainingListener.NONE);
    assertEquals(EPOCHS, TrainingCheckpoint.epochsDone(dir.resolve("a/checkpoint.bin")));

    Path cp = dir.resolve("b/checkpoint.bin");
    TrainingListener crash =
        new TrainingListener() {
          @Override
          public void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
            if (epoch == 2 && step == 3) {
              throw new IllegalStateException("simulated crash");
            }
          }
        };
    assertThrows(IllegalStateException.class, () -> train(data, cp, crash));
    assertEquals(2, TrainingCheckpoint.epochsDone(cp));

    int[] firstEpoch = {-1};
    TrainResult resumed =
        train(
            data,
            cp,
            new TrainingListener() {
              @Override
              public void epochStarted(int epoch, int steps) {
                if (firstEpoch[0] < 0) {
                  firstEpoch[0] = epoch;
                }
              }
            });
    assertEquals(2, firstEpoch[0], "resumed at the first unfinished epoch");
    assertEquals(List.of(0, 1, 2, 3), resumed.history().stream().map(EpochMetrics::epoch).toList());
    assertEquals(TrainerFixture.bits(whole), TrainerFixture.bits(resumed));
    assertEquals(whole.bestEpoch(), resumed.bestEpoch());
  }

  @Test
  void aStatefulStrategyThatCannotSaveItsStateGetsNoCheckpoint() throws IOException {
    DataSplits data = TrainerFixture.data(dir);
    Term.Bound ce = TrainerFixture.term("labels-only", Map.of());
    java.util.Set<org.taqtir.api.Capability> caps = new java.util.HashSet<>(ce.capabilities());
    caps.add(org.taqtir.api.Capability.STATEFUL);
    Term.Bound stateful = TrainerFixture.bound("stateful", ce.create(), 1.0, caps);
    Path cp = dir.resolve("s/checkpoint.bin");
    TrainResult r =
        TrainerFixture.trainer(
                TrainerFixture.training(1, 0.05), 3, List.of(stateful), null, TrainingListener.NONE)
            .checkpoint(cp)
            .train(TrainerFixture.student(data), data, false, null, null);
    assertTrue(r.ok());
    assertTrue(!Files.exists(cp), "no checkpoint that would resume without the strategy's state");
  }

  @Test
  void aCheckpointOfAnotherSeedIsRefused() throws IOException {
    DataSplits data = TrainerFixture.data(dir);
    Path cp = dir.resolve("c/checkpoint.bin");
    TrainerFixture.trainer(
            TrainerFixture.training(1, 0.05),
            3,
            List.of(TrainerFixture.term("labels-only", Map.of())),
            null,
            TrainingListener.NONE)
        .checkpoint(cp)
        .train(TrainerFixture.student(data), data, false, null, null);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TrainerFixture.trainer(
                        TrainerFixture.training(1, 0.05),
                        4,
                        List.of(TrainerFixture.term("labels-only", Map.of())),
                        null,
                        TrainingListener.NONE)
                    .checkpoint(cp)
                    .train(TrainerFixture.student(data), data, false, null, null));
    assertTrue(e.getMessage().contains("seed 3, this run has seed 4"), e.getMessage());
    Files.writeString(cp, "garbage");
    var bad = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.read(cp));
    assertTrue(bad.getMessage().contains("not a Taqtir training checkpoint"), bad.getMessage());
  }
}
