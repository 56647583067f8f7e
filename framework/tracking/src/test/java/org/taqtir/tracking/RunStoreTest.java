package org.taqtir.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

  @TempDir Path dir;

  @Test
  void importRunCopiesARunOnceAndAFinishedCopyAlwaysWins() {
    String id = "0123456789abcdef0123456789abcdef";
    try (RunStore target = RunStore.open(dir.resolve("target.db"));
        RunStore failed = RunStore.open(dir.resolve("a0.db"));
        RunStore finished = RunStore.open(dir.resolve("a1.db"))) {
      long e = target.experiment("sweep");
      assertTrue(target.startOrReopenRun("fedcba9876543210fedcba9876543210", e, null, "sweep"));
      assertEquals(
          false, target.startOrReopenRun("fedcba9876543210fedcba9876543210", e, null, "x"));
      String f = failed.startRun(failed.experiment("sweep"), null, "mlp/kd/seed1");
      failed.metric(f, "val/acc", 0.1, 1);
      failed.tags(f, Map.of("error", "diverged"));
      failed.finish(f, "FAILED");
      String ok = finished.startRun(finished.experiment("sweep"), null, "mlp/kd/seed1");
      finished.params(ok, Map.of("seed", "1"));
      finished.metric(ok, "val/acc", 0.5, 1);
      finished.metric(ok, "val/acc", 0.7, 2);
      finished.artifact(ok, dir.resolve("history.csv"));
      finished.finish(ok, "FINISHED");

      String parent = "fedcba9876543210fedcba9876543210";
      assertTrue(target.importRun(failed, f, id, parent));
      assertEquals("FAILED", target.run(id).status());
      assertTrue(
          target.importRun(finished, ok, id, parent), "a finished copy replaces a failed one");
      assertEquals(false, target.importRun(failed, f, id, parent), "and is never replaced");
      assertEquals(false, target.importRun(finished, ok, id, parent));
      assertEquals(2, target.runs(10).size());
      RunStore.Run r = target.run(id);
      assertEquals("FINISHED", r.status());
      assertEquals(parent, r.parentId());
      assertEquals("mlp/kd/seed1", r.name());
      assertEquals(Map.of("seed", "1"), target.params(id));
      assertEquals(Map.of(), target.tags(id), "the failed copy's error went with it");
      assertEquals(2, target.history(id, "val/acc").size());
      assertEquals(0.7, target.latestMetrics(id).get("val/acc"), 1e-12);
      assertEquals(1, target.children(parent).size());
      assertThrows(IllegalArgumentException.class, () -> target.importRun(finished, ok, "x", null));
    }
  }

  @Test
  void recordsExperimentsRunsParamsMetricsTagsAndArtifacts() {
    Path db = dir.resolve("runs/taqtir.db");
    String parent;
    String child;
    try (RunStore s = RunStore.open(db)) {
      long e = s.experiment("quickstart");
      assertEquals(e, s.experiment("quickstart"), "one experiment per name");
      parent = s.startRun(e, null, "study");
      child = s.startRun(e, parent, "mlp/kd/seed1");
      s.params(child, Map.of("seed", "1", "method", "kd"));
      s.params(child, Map.of("seed", "2"));
      s.tags(child, Map.of("git.commit", "abc"));
      s.tags(child, Map.of("git.commit", "def"));
      for (int step = 1; step <= 3; step++) {
        s.metric(child, "val/acc", 0.5 + step / 10.0, step);
      }
      s.metric(child, "val/acc", 0.99, 2);
      s.artifact(child, dir.resolve("history.csv"));
      s.finish(child, "FINISHED");
    }
    try (RunStore s = RunStore.open(db)) {
      RunStore.Run r = s.run(child.substring(0, 10));
      assertEquals("mlp/kd/seed1", r.name());
      assertEquals(parent, r.parentId());
      assertEquals("FINISHED", r.status());
      assertEquals(Map.of("method", "kd", "seed", "1"), s.params(child), "params keep first value");
      assertEquals("def", s.tags(child).get("git.commit"), "tags keep the last value");
      List<double[]> h = s.history(child, "val/acc");
      assertEquals(3, h.size(), "rewriting a step replaces it: no duplicates");
      assertArrayEquals(new double[] {2, 0.99}, h.get(1));
      assertEquals(0.8, s.latestMetrics(child).get("val/acc"), 1e-12);
      assertEquals(2, s.runs(10).size());
    }
  }

  @Test
  void unknownIdListsRecentRuns() {
    try (RunStore s = RunStore.open(dir.resolve("t.db"))) {
      String id = s.startRun(s.experiment("x"), null, "first");
      var e = assertThrows(IllegalArgumentException.class, () -> s.run("zzz"));
      assertTrue(e.getMessage().startsWith("no run 'zzz'"), e.getMessage());
      assertTrue(e.getMessage().contains(id.substring(0, 8) + " first"), e.getMessage());
    }
  }

  @Test
  void foreignFilesAreRefusedAndLeftUntouched() throws Exception {
    Path text = dir.resolve("notes.db");
    Files.writeString(text, "my thesis notes, not a database\n".repeat(10));
    byte[] before = Files.readAllBytes(text);
    var e = assertThrows(IllegalArgumentException.class, () -> RunStore.open(text));
    assertTrue(e.getMessage().contains("not a Taqtir run store"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(text));

    Path other = dir.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE people (name TEXT)");
      s.execute("INSERT INTO people VALUES ('x')");
    }
    byte[] otherBefore = Files.readAllBytes(other);
    var e2 = assertThrows(IllegalArgumentException.class, () -> RunStore.open(other));
    assertTrue(
        e2.getMessage().contains("an SQLite database but not a Taqtir run store"), e2.getMessage());
    assertArrayEquals(otherBefore, Files.readAllBytes(other));
  }

  @Test
  void aCorruptStoreIsRefusedAndLeftUntouched() throws Exception {
    Path db = dir.resolve("corrupt.db");
    try (RunStore s = RunStore.open(db)) {
      s.metric(s.startRun(s.experiment("x"), null, "r"), "m", 1, 1);
    }
    byte[] bytes = Files.readAllBytes(db);
    for (int i = 100; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Files.write(db, bytes);
    var e = assertThrows(IllegalArgumentException.class, () -> RunStore.open(db));
    assertTrue(e.getMessage().startsWith(db + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith("left untouched"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
    assertArrayEquals(bytes, Files.readAllBytes(db));
  }

  @Test
  void aSchemaOneStoreIsUpgradedWithItsLatestMetrics() throws Exception {
    Path db = dir.resolve("old.db");
    String run;
    try (RunStore s = RunStore.open(db)) {
      run = s.startRun(s.experiment("x"), null, "r");
      for (int step = 1; step <= 3; step++) {
        s.metric(run, "val/acc", step / 10.0, step);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE latest_metrics");
      st.execute("UPDATE meta SET value = '1' WHERE key = 'schema'");
    }
    try (RunStore s = RunStore.open(db)) {
      assertEquals(Map.of("val/acc", 0.3), s.latestMetrics(run));
      s.metric(run, "val/acc", 0.9, 2);
      assertEquals(0.3, s.latestMetrics(run).get("val/acc"), "an earlier step never wins");
    }
  }

  /** Child process: writes {@code n} metric points to its own run. */
  public static void main(String[] args) {
    try (RunStore s = RunStore.open(Path.of(args[0]))) {
      String run = s.startRun(s.experiment("concurrent"), null, args[1]);
      for (int i = 0; i < Integer.parseInt(args[2]); i++) {
        s.metric(run, "m", i, i);
      }
      s.finish(run, "FINISHED");
    }
  }

  @Test
  void twoProcessesWritingAtOnceLoseNothing() throws Exception {
    Path db = dir.resolve("shared.db");
    try (RunStore s = RunStore.open(db)) {
      s.experiment("concurrent");
    }
    List<Process> ps = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      ps.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  RunStoreTest.class.getName(),
                  db.toString(),
                  name,
                  "300")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(name + ".log").toFile())
              .start());
    }
    for (Process p : ps) {
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(
          0,
          p.exitValue(),
          Files.readString(dir.resolve("a.log")) + Files.readString(dir.resolve("b.log")));
    }
    try (RunStore s = RunStore.open(db)) {
      List<RunStore.Run> runs = s.runs(10);
      assertEquals(2, runs.size());
      for (RunStore.Run r : runs) {
        assertEquals("FINISHED", r.status());
        assertEquals(300, s.history(r.id(), "m").size(), r.name());
      }
    }
  }
}
