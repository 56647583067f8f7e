package org.taqtir.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.tracking.RunStore;

/**
 * A run store with a damaged page is refused by every command before anything is written (exit 2,
 * one line naming the file, the file unchanged); a study whose records fail does not say it was
 * recorded.
 */
class DamagedStoreCliTest {

  @TempDir Path dir;

  /** Overwrites the root page of the runs table; the SQLite header is left intact. */
  private static byte[] damageRuns(Path db) throws Exception {
    int page;
    int size;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
        Statement st = c.createStatement()) {
      try (ResultSet r =
          st.executeQuery("SELECT rootpage FROM sqlite_schema WHERE name = 'runs'")) {
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

  @Test
  void everyCommandRefusesADamagedStoreBeforeWriting() throws Exception {
    Path data = TinyStudy.data(dir);
    Path study = TinyStudy.write(dir, TinyStudy.yaml(dir, data, ""));
    Path db = dir.resolve("runs/taqtir.db");
    String id;
    try (RunStore s = RunStore.open(db)) {
      long e = s.experiment("tiny");
      id = s.startRun(e, null, "tiny 20260101-000000");
      s.tags(id, Map.of("config", Files.readString(study), "output.dir", dir.toString()));
      for (int i = 0; i < 30; i++) {
        String child = s.startRun(e, id, "small/kd/seed" + i);
        s.metric(child, "test/acc", 0.5, 3);
        s.finish(child, "FINISHED");
      }
      s.finish(id, "FINISHED");
    }
    byte[] bytes = damageRuns(db);
    List<String[]> commands =
        List.of(
            new String[] {"run", study.toString()},
            new String[] {"reproduce", id.substring(0, 8), "--store", db.toString()},
            new String[] {"run", "--resume", id.substring(0, 8), "--store", db.toString()},
            new String[] {"runs", "compare", "--study", "tiny", "--store", db.toString()},
            new String[] {"runs", "list", "--store", db.toString()});
    for (String[] args : commands) {
      TinyStudy.Result r = TinyStudy.cli(args);
      String what = String.join(" ", args);
      assertEquals(2, r.code(), what + "\n" + r.out() + r.err());
      String err = r.err().strip();
      assertTrue(
          err.startsWith("taqtir: " + db + ": the run store is damaged ("), what + ": " + err);
      assertEquals(1, err.lines().count(), err);
      assertFalse(r.out().contains("recorded"), r.out());
      assertArrayEquals(bytes, Files.readAllBytes(db), what + " left the file as it was");
    }
    assertFalse(Files.exists(dir.resolve("runs/tiny")), "no study run directory was started");
  }

  @Test
  void aStudyWhoseRecordsFailDoesNotSayRecordedAndFails() throws Exception {
    Path data = TinyStudy.data(dir);
    String yaml =
        TinyStudy.yaml(dir, data, "")
            .replace("seeds: [1, 2]", "seeds: [1]")
            .replace("epochs: 3", "epochs: 1");
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    Study study = new StudyParser(registry).parse(TinyStudy.write(dir, yaml), Map.of());
    RunStore store = RunStore.open(dir.resolve("runs/taqtir.db"));
    store.close(); // every record now fails, as on a disk that went away mid-study
    StringWriter out = new StringWriter();
    int code = StudyCli.run(study, registry, new PrintWriter(out), store);
    assertEquals(1, code, out.toString());
    assertTrue(out.toString().contains("NOT RECORDED: "), out.toString());
    assertFalse(out.toString().contains("recorded: run"), out.toString());
  }
}
