package org.taqtir.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store with one damaged page (the SQLite header intact, so it still opens) is refused before
 * anything is written, in one line naming the file, and left byte for byte as it was.
 */
class DamagedStoreTest {

  @TempDir Path dir;

  /** A store with a study run, 40 student runs and 3000 metric points (several pages each). */
  static Path store(Path db) {
    try (RunStore s = RunStore.open(db)) {
      long e = s.experiment("tiny");
      String study = s.startRun(e, null, "tiny 20260101-000000");
      s.tags(study, Map.of("config", "name: tiny\n"));
      for (int i = 0; i < 40; i++) {
        String run = s.startRun(e, study, "small/kd/seed" + i);
        s.params(run, Map.of("seed", String.valueOf(i), "method", "kd"));
        long[] steps = new long[75];
        double[] v = new double[75];
        for (int k = 0; k < 75; k++) {
          steps[k] = k + 1;
          v[k] = k / 75.0;
        }
        s.metricHistories(run, steps, Map.of("val/acc", v), 0);
        s.metric(run, "test/acc", 0.5 + i / 100.0, 75);
        s.finish(run, "FINISHED");
      }
      s.finish(study, "FINISHED");
    }
    return db;
  }

  /** Overwrites the root page of a table with a byte pattern; the file header is untouched. */
  static byte[] damage(Path db, String table) throws Exception {
    int page;
    int size;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
        Statement st = c.createStatement()) {
      try (ResultSet r =
          st.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = '" + table + "'")) {
        r.next();
        page = r.getInt(1);
      }
      try (ResultSet r = st.executeQuery("PRAGMA page_size")) {
        r.next();
        size = r.getInt(1);
      }
    }
    byte[] b = Files.readAllBytes(db);
    for (int i = (page - 1) * size; i < page * size; i++) {
      b[i] = (byte) (i * 31);
    }
    Files.write(db, b);
    return b;
  }

  private static void refusedUntouched(Path db, byte[] bytes, Runnable open) {
    var e = assertThrows(IllegalArgumentException.class, open::run);
    String m = e.getMessage();
    assertTrue(m.startsWith(db + ": the run store is damaged (quick_check: "), m);
    assertTrue(m.endsWith("; left untouched"), m);
    assertEquals(1, m.lines().count(), m);
    try {
      assertArrayEquals(bytes, Files.readAllBytes(db), "byte for byte as it was");
    } catch (java.io.IOException x) {
      throw new AssertionError(x);
    }
  }

  @Test
  void aDamagedRunsPageIsRefusedBeforeWritingOrQuerying() throws Exception {
    Path db = store(dir.resolve("taqtir.db"));
    byte[] bytes = damage(db, "runs");
    refusedUntouched(db, bytes, () -> RunStore.open(db).close());
    refusedUntouched(db, bytes, () -> RunStore.openToQuery(db).close());
  }

  @Test
  void aDamagedHistoryPageStopsWritersAndTheQueryThatReadsIt() throws Exception {
    Path db = store(dir.resolve("taqtir.db"));
    String run;
    try (RunStore s = RunStore.open(db)) {
      run = s.children(s.latestStudyRun("tiny").id()).get(0).id();
    }
    byte[] bytes = damage(db, "metrics");
    refusedUntouched(db, bytes, () -> RunStore.open(db).close());
    try (RunStore s = RunStore.openToQuery(db)) {
      assertEquals(0.5, s.latestMetrics(run).get("test/acc"), 1e-12, "the small tables are fine");
      var e = assertThrows(IllegalArgumentException.class, () -> s.history(run, "val/acc"));
      assertTrue(e.getMessage().startsWith(db + ": the run store is damaged ("), e.getMessage());
    }
    assertArrayEquals(bytes, Files.readAllBytes(db));
  }
}
