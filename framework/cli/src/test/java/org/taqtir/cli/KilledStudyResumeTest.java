package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingCheckpoint;
import org.taqtir.core.train.TrainingListener;
import org.taqtir.tracking.RunStore;
import org.taqtir.tracking.TrackingObserver;

/**
 * A study process killed with SIGKILL in the middle of an epoch of its second run, then continued
 * with {@code taqtir run --resume}: the finished run is not trained again, the interrupted one
 * continues from its last checkpoint in the same store records, and every recorded metric at every
 * step is bitwise equal to the same study run without interruption.
 */
class KilledStudyResumeTest {

  @TempDir Path dir;

  private static final String[] COMPARED = {
    "train/loss", "val/loss", "val/acc", "train/lr", "best/epoch", "best/val_acc", "test/acc"
  };

  /** Child JVM: runs the study into a fixed directory, slowed so a kill lands mid-epoch. */
  public static void main(String[] args) {
    PluginRegistry registry = PluginRegistry.load(KilledStudyResumeTest.class.getClassLoader());
    Study study = new StudyParser(registry).parse(Path.of(args[0]), Map.of());
    TrainingListener slow =
        new TrainingListener() {
          @Override
          public void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
            try {
              Thread.sleep(8);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try (RunStore store = RunStore.open(study.output().dir().resolve("taqtir.db"))) {
      new StudyRunner(registry, label -> slow, System.out::println)
          .observer(new TrackingObserver(store, null, registry))
          .outputDir(Path.of(args[1]))
          .run(study);
    }
  }

  @Test
  void killedStudyResumesToBitwiseTheSameMetrics() throws Exception {
    Path data = TinyStudy.data(dir);
    Path file =
        TinyStudy.write(
            dir,
            TinyStudy.yaml(dir, data, "evaluation: {loss_statement: false}")
                .replace("seeds: [1, 2]", "seeds: [1]")
                .replace("output:\n", "output:\n  plots: false\n")
                .replace("epochs: 3\n", "epochs: 4\n"));
    Path db = dir.resolve("runs/taqtir.db");

    // Uninterrupted reference (also trains and caches the teacher the child then reuses).
    var whole = TinyStudy.cli("run", file.toString());
    assertEquals(0, whole.code(), whole.out() + whole.err());

    Path studyDir = dir.resolve("killed");
    Path kdCheckpoint = studyDir.resolve("runs/small_kd_seed1").resolve(StudyRunner.CHECKPOINT);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dai.djl.pytorch.num_threads=2");
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KilledStudyResumeTest.class.getName());
    cmd.add(file.toString());
    cmd.add(studyDir.toString());
    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (TrainingCheckpoint.epochsDone(kdCheckpoint) < 2) {
      assertTrue(child.isAlive(), "child ended before the kill: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no checkpoint: " + Files.readString(log));
      Thread.sleep(5);
    }
    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally block runs
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed by SIGKILL");
    int atKill = TrainingCheckpoint.epochsDone(kdCheckpoint);
    assertTrue(atKill >= 2 && atKill < 4, "killed mid-run, after epoch " + atKill);
    assertFalse(Files.exists(kdCheckpoint.resolveSibling("history.csv")), "kd run not finished");
    assertTrue(Files.exists(studyDir.resolve("runs/small_labels-only_seed1/history.csv")));

    String killedId;
    long labelsOnlyEnd;
    try (RunStore s = RunStore.open(db)) {
      RunStore.Run killed =
          s.runs(10).stream()
              .filter(r -> r.parentId() == null && "RUNNING".equals(r.status()))
              .findFirst()
              .orElseThrow();
      killedId = killed.id();
      labelsOnlyEnd = child(s, killedId, "small/labels-only/seed1").endTime();
    }

    var resumed =
        TinyStudy.cli("run", "--resume", killedId.substring(0, 8), "--store", db.toString());
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(
        resumed.out().contains("small/labels-only/seed1: finished before the interruption"),
        resumed.out());
    assertTrue(resumed.out().contains("small/kd/seed1: resuming from its checkpoint"));

    try (RunStore s = RunStore.open(db)) {
      RunStore.Run reference =
          s.runs(10).stream()
              .filter(r -> r.parentId() == null && !r.id().equals(killedId))
              .findFirst()
              .orElseThrow();
      assertEquals("FINISHED", s.run(killedId).status());
      assertEquals(2, s.children(killedId).size(), "no run recorded twice");
      assertEquals(
          labelsOnlyEnd,
          child(s, killedId, "small/labels-only/seed1").endTime(),
          "the finished run was left as recorded");
      for (String label : List.of("small/labels-only/seed1", "small/kd/seed1")) {
        RunStore.Run a = child(s, reference.id(), label);
        RunStore.Run b = child(s, killedId, label);
        assertEquals("FINISHED", b.status());
        for (String key : COMPARED) {
          List<double[]> ha = s.history(a.id(), key);
          List<double[]> hb = s.history(b.id(), key);
          assertEquals(ha.size(), hb.size(), label + " " + key + " steps");
          for (int i = 0; i < ha.size(); i++) {
            assertEquals((long) ha.get(i)[0], (long) hb.get(i)[0], label + " " + key + " step");
            assertEquals(
                Double.doubleToRawLongBits(ha.get(i)[1]),
                Double.doubleToRawLongBits(hb.get(i)[1]),
                label + " " + key + " at step " + (long) ha.get(i)[0]);
          }
        }
        assertEquals(
            List.of(1L, 2L, 3L, 4L),
            s.history(b.id(), "val/acc").stream().map(p -> (long) p[0]).toList(),
            "every epoch recorded once");
      }
    }
  }

  private static RunStore.Run child(RunStore s, String parent, String name) {
    return s.children(parent).stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child " + name + " of " + parent));
  }
}
