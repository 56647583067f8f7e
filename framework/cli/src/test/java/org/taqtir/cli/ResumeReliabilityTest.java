package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.study.RunLock;
import org.taqtir.tracking.RunStore;

/**
 * {@code run --resume} never records a student run twice and never rewrites a finished run: a
 * finished run is refused (pointing at {@code reproduce}), a run another process holds is refused,
 * and a resume that fails (a damaged checkpoint) is recorded FAILED, then resumes once repaired.
 */
class ResumeReliabilityTest {

  @TempDir Path dir;

  private static void sql(Path db, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void aResumeIsRefusedWhenFinishedOrHeldAndAFailedOneIsRecordedFailed() throws Exception {
    Path data = TinyStudy.data(dir);
    Path study =
        TinyStudy.write(dir, TinyStudy.yaml(dir, data, "").replace("seeds: [1, 2]", "seeds: [1]"));
    TinyStudy.Result first = TinyStudy.cli("run", study.toString());
    assertEquals(0, first.code(), first.out() + first.err());
    Path db = dir.resolve("runs/taqtir.db");
    Path runDir;
    try (Stream<Path> s = Files.list(dir.resolve("runs/tiny"))) {
      runDir = s.findFirst().orElseThrow();
    }
    String id;
    String kd;
    try (RunStore s = RunStore.open(db)) {
      id = s.latestStudyRun("tiny").id();
      kd =
          s.children(id).stream()
              .filter(r -> r.name().equals("small/kd/seed1"))
              .findFirst()
              .orElseThrow()
              .id();
    }
    String prefix = id.substring(0, 8);
    byte[] results = Files.readAllBytes(runDir.resolve("results.md"));

    TinyStudy.Result finished = TinyStudy.cli("run", "--resume", prefix, "--store", db.toString());
    assertEquals(2, finished.code(), finished.out() + finished.err());
    assertTrue(finished.err().contains("finished; there is nothing to resume"), finished.err());
    assertTrue(finished.err().contains("use taqtir reproduce " + prefix), finished.err());
    assertArrayEquals(results, Files.readAllBytes(runDir.resolve("results.md")));

    // as if the process had been killed during the kd run's last epoch
    sql(
        db,
        "UPDATE runs SET status = 'RUNNING', end_time = NULL WHERE id IN ('"
            + id
            + "', '"
            + kd
            + "')");
    Path kdDir = runDir.resolve("runs/small_kd_seed1");
    Files.delete(kdDir.resolve("history.csv"));

    try (RunLock held = RunLock.acquire(runDir, "held by the test")) {
      TinyStudy.Result busy = TinyStudy.cli("run", "--resume", prefix, "--store", db.toString());
      assertEquals(2, busy.code(), busy.out() + busy.err());
      assertTrue(busy.err().contains("is being run or resumed by another process"), busy.err());
      assertFalse(busy.out().contains("resuming"), busy.out());
    }

    Path checkpoint = kdDir.resolve("checkpoint.bin");
    DamagedFilesTest.flip(checkpoint, 200);
    TinyStudy.Result damaged = TinyStudy.cli("run", "--resume", prefix, "--store", db.toString());
    assertEquals(2, damaged.code(), damaged.out() + damaged.err());
    assertTrue(
        damaged.err().startsWith("taqtir: " + checkpoint + ": checkpoint is damaged"),
        damaged.err());
    try (RunStore s = RunStore.open(db)) {
      assertEquals("FAILED", s.run(id).status(), "a study that throws is not left RUNNING");
      assertTrue(s.tags(id).get("error").contains(checkpoint.toString()), s.tags(id).toString());
      assertEquals("FAILED", s.run(kd).status());
    }

    Files.delete(checkpoint);
    TinyStudy.Result resumed = TinyStudy.cli("run", "--resume", prefix, "--store", db.toString());
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    try (RunStore s = RunStore.open(db)) {
      assertEquals("FINISHED", s.run(id).status());
      assertFalse(s.tags(id).containsKey("error"), s.tags(id).toString());
      String kept = "error.before_resume." + s.tags(id).get("resumed.at");
      assertTrue(s.tags(id).get(kept).contains(checkpoint.toString()), "nothing recorded is lost");
      List<RunStore.Run> children = s.children(id);
      assertEquals(2, children.size(), "nothing recorded twice");
      assertTrue(children.stream().allMatch(r -> r.status().equals("FINISHED")));
      assertEquals(3, s.history(kd, "val/acc").size());
      assertFalse(s.tags(kd).containsKey("error"), s.tags(kd).toString());
    }
  }
}
