package org.taqtir.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An embedded run store in one SQLite file. Safe for several processes writing at once (WAL
 * journal, 30 s busy timeout); every call commits on its own. A file that is not a Taqtir store is
 * refused with a clear message and never modified.
 */
public final class RunStore implements AutoCloseable {

  private static final String APP = "taqtir-runs";
  private static final int SCHEMA = 2;

  private final Path file;
  private final Connection db;
  private volatile RunSink mirror;
  private java.util.function.Consumer<String> warn = System.err::println;

  private RunStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Opens (creating when absent) a store.
   *
   * @param file the database file, e.g. {@code runs/taqtir.db}
   * @return the open store, to be closed
   * @throws IllegalArgumentException when the file exists but is not a Taqtir store
   */
  public static RunStore open(Path file) {
    try {
      boolean fresh = !Files.exists(file) || Files.size(file) == 0;
      if (!fresh) {
        checkForeign(file);
      }
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 30000");
        s.execute("PRAGMA journal_mode = WAL");
        // With WAL, NORMAL syncs at checkpoints instead of every commit: still never corrupt;
        // after a power loss the last commits may be missing (a killed process loses nothing).
        s.execute("PRAGMA synchronous = NORMAL");
        s.execute("PRAGMA foreign_keys = ON");
        if (fresh) {
          s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
          s.execute("INSERT OR IGNORE INTO meta VALUES ('app', '" + APP + "'), ('schema', '1')");
          s.execute(
              "CREATE TABLE IF NOT EXISTS experiments (id INTEGER PRIMARY KEY, name TEXT UNIQUE"
                  + " NOT NULL, created INTEGER NOT NULL)");
          s.execute(
              "CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, experiment_id INTEGER NOT"
                  + " NULL REFERENCES experiments(id), parent_id TEXT REFERENCES runs(id), name"
                  + " TEXT NOT NULL, status TEXT NOT NULL, start_time INTEGER NOT NULL, end_time"
                  + " INTEGER)");
          s.execute(
              "CREATE TABLE IF NOT EXISTS params (run_id TEXT NOT NULL REFERENCES runs(id), key"
                  + " TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key))");
          s.execute(
              "CREATE TABLE IF NOT EXISTS tags (run_id TEXT NOT NULL REFERENCES runs(id), key"
                  + " TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key))");
          s.execute(
              "CREATE TABLE IF NOT EXISTS metrics (run_id TEXT NOT NULL REFERENCES runs(id), key"
                  + " TEXT NOT NULL, value REAL NOT NULL, step INTEGER NOT NULL, timestamp INTEGER"
                  + " NOT NULL, PRIMARY KEY (run_id, key, step))");
          s.execute(
              "CREATE TABLE IF NOT EXISTS artifacts (run_id TEXT NOT NULL REFERENCES runs(id),"
                  + " path TEXT NOT NULL, PRIMARY KEY (run_id, path))");
        }
        migrate(c, s);
      }
      return new RunStore(file, c);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot open the run store: " + e.getMessage(), e);
    }
  }

  /**
   * Schema 2: the latest value of every metric of every run in its own small table (kept up to date
   * on each write), so {@code runs compare} and {@code runs list} read one row per metric instead
   * of scanning whole histories; an index on the parent run for child lookups. A schema-1 store is
   * upgraded in place, once, inside one transaction.
   */
  private static void migrate(Connection c, Statement s) throws SQLException {
    int schema;
    try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
      schema = r.next() ? Integer.parseInt(r.getString(1)) : SCHEMA;
    }
    if (schema >= SCHEMA) {
      return;
    }
    c.setAutoCommit(false);
    try {
      s.execute(
          "CREATE TABLE IF NOT EXISTS latest_metrics (run_id TEXT NOT NULL, key TEXT NOT NULL,"
              + " step INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (run_id, key)) WITHOUT"
              + " ROWID");
      s.execute("CREATE INDEX IF NOT EXISTS runs_parent ON runs(parent_id)");
      try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'schema'")) {
        schema = r.next() ? Integer.parseInt(r.getString(1)) : SCHEMA;
      }
      if (schema < 2) {
        s.execute(
            "INSERT OR REPLACE INTO latest_metrics SELECT run_id, key, step, value FROM metrics m"
                + " WHERE step = (SELECT MAX(step) FROM metrics WHERE run_id = m.run_id AND key ="
                + " m.key)");
      }
      s.execute("UPDATE meta SET value = '" + SCHEMA + "' WHERE key = 'schema'");
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void checkForeign(Path file) throws java.io.IOException {
    byte[] head = new byte[16];
    try (var in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, 16);
      if (n < 16
          || !new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII)
              .equals("SQLite format 3")) {
        throw new IllegalArgumentException(
            file + ": not a Taqtir run store (not an SQLite database); left untouched");
      }
    }
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'app'")) {
      if (!r.next() || !APP.equals(r.getString(1))) {
        throw new IllegalArgumentException(
            file + ": an SQLite database but not a Taqtir run store; left untouched");
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          file
              + ": an SQLite database but not a Taqtir run store ("
              + e.getMessage()
              + "); left untouched");
    }
  }

  /**
   * Mirrors every later write into a second sink (e.g. an MLflow server), after it is committed
   * here. The first failure of the sink is reported as one line to {@code warn} and the sink is
   * dropped: a broken mirror never fails or slows the run again.
   *
   * @param sink the mirror, or null for none
   * @param warn receives the one-line warning
   * @return this store
   */
  public RunStore mirror(RunSink sink, java.util.function.Consumer<String> warn) {
    this.mirror = sink;
    this.warn = warn == null ? System.err::println : warn;
    return this;
  }

  private void mirrored(java.util.function.Consumer<RunSink> call) {
    RunSink m = mirror;
    if (m == null) {
      return;
    }
    try {
      call.accept(m);
    } catch (RuntimeException | LinkageError e) {
      mirror = null;
      String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      warn.accept(
          "warning: "
              + m.name()
              + " failed, runs are recorded only in "
              + file
              + " from now on: "
              + e.getClass().getSimpleName()
              + ": "
              + msg);
    }
  }

  /**
   * Returns the database file.
   *
   * @return the path given to {@link #open}
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the id of an experiment, creating it when absent.
   *
   * @param name the experiment (study) name
   * @return its id
   */
  public long experiment(String name) {
    try {
      try (PreparedStatement p =
          db.prepareStatement("INSERT OR IGNORE INTO experiments (name, created) VALUES (?, ?)")) {
        p.setString(1, name);
        p.setLong(2, System.currentTimeMillis());
        p.executeUpdate();
      }
      try (PreparedStatement p = db.prepareStatement("SELECT id FROM experiments WHERE name = ?")) {
        p.setString(1, name);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw fail(e);
    }
  }

  /**
   * Starts a run.
   *
   * @param experimentId the experiment
   * @param parentId the parent run (a study run for its student runs), or null
   * @param name a readable name, e.g. {@code mlp-128/kd/seed1}
   * @return the new run's id (a random UUID without dashes)
   */
  public String startRun(long experimentId, String parentId, String name) {
    String id = UUID.randomUUID().toString().replace("-", "");
    insertRun(id, experimentId, parentId, name, false);
    return id;
  }

  /** Inserts a RUNNING run; mirrored as a start, or as a reopen (find-or-create) of its id. */
  private void insertRun(
      String id, long experimentId, String parentId, String name, boolean reopen) {
    long now = System.currentTimeMillis();
    update(
        "INSERT INTO runs (id, experiment_id, parent_id, name, status, start_time) VALUES (?, ?,"
            + " ?, ?, 'RUNNING', ?)",
        id,
        experimentId,
        parentId,
        name,
        now);
    if (mirror != null) {
      String experiment = experimentName(experimentId);
      mirrored(
          m -> {
            if (reopen) {
              m.reopen(id, experiment, parentId, name, now);
            } else {
              m.startRun(id, experiment, parentId, name, now);
            }
          });
    }
  }

  /**
   * Records parameters (a key written twice keeps its first value, like MLflow).
   *
   * @param runId the run
   * @param params key to value
   */
  public void params(String runId, Map<String, String> params) {
    for (var e : params.entrySet()) {
      update("INSERT OR IGNORE INTO params VALUES (?, ?, ?)", runId, e.getKey(), e.getValue());
    }
    mirrored(m -> m.params(runId, params));
  }

  /**
   * Sets tags (a later value replaces an earlier one).
   *
   * @param runId the run
   * @param tags key to value
   */
  public void tags(String runId, Map<String, String> tags) {
    for (var e : tags.entrySet()) {
      update("INSERT OR REPLACE INTO tags VALUES (?, ?, ?)", runId, e.getKey(), e.getValue());
    }
    mirrored(m -> m.tags(runId, tags));
  }

  /**
   * Records a metric value at a step; recording the same key and step again replaces it, so a
   * resumed run never duplicates a step.
   *
   * @param runId the run
   * @param key e.g. {@code val/acc}
   * @param value the value (NaN and infinities are stored as given)
   * @param step the step (epoch, 1-based)
   */
  public void metric(String runId, String key, double value, long step) {
    Map<String, Double> one = new LinkedHashMap<>();
    one.put(key, value);
    metrics(runId, one, step);
  }

  /**
   * Records several metrics at one step in one transaction (one commit, one mirrored batch).
   *
   * @param runId the run
   * @param values key to value
   * @param step the step
   */
  public void metrics(String runId, Map<String, Double> values, long step) {
    long now = System.currentTimeMillis();
    transaction(
        () -> {
          try (PreparedStatement p =
                  db.prepareStatement("INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?)");
              PreparedStatement l = db.prepareStatement(LATEST)) {
            for (var e : values.entrySet()) {
              p.setString(1, runId);
              p.setString(2, e.getKey());
              p.setDouble(3, e.getValue());
              p.setLong(4, step);
              p.setLong(5, now);
              p.executeUpdate();
              latest(l, runId, e.getKey(), step, e.getValue());
            }
          }
        });
    mirrored(m -> m.metrics(runId, values, step, now));
  }

  /**
   * Bulk-loads metric histories that share their steps (benchmarks, imports) in one transaction;
   * not mirrored.
   *
   * @param runId the run
   * @param steps the steps, ascending
   * @param values metric key to its values, one per step
   * @param timestamp epoch milliseconds for every point
   */
  public void metricHistories(
      String runId, long[] steps, Map<String, double[]> values, long timestamp) {
    if (steps.length == 0) {
      return;
    }
    transaction(
        () -> {
          try (PreparedStatement p =
                  db.prepareStatement("INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?)");
              PreparedStatement l = db.prepareStatement(LATEST)) {
            for (var e : values.entrySet()) {
              double[] v = e.getValue();
              for (int i = 0; i < steps.length; i++) {
                p.setString(1, runId);
                p.setString(2, e.getKey());
                p.setDouble(3, v[i]);
                p.setLong(4, steps[i]);
                p.setLong(5, timestamp);
                p.addBatch();
              }
              p.executeBatch();
              latest(l, runId, e.getKey(), steps[steps.length - 1], v[steps.length - 1]);
            }
          }
        });
  }

  private static final String LATEST =
      "INSERT INTO latest_metrics VALUES (?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET"
          + " step = excluded.step, value = excluded.value WHERE excluded.step >="
          + " latest_metrics.step";

  private static void latest(PreparedStatement l, String runId, String key, long step, double v)
      throws SQLException {
    l.setString(1, runId);
    l.setString(2, key);
    l.setLong(3, step);
    l.setDouble(4, v);
    l.executeUpdate();
  }

  private interface SqlWork {
    void run() throws SQLException;
  }

  private synchronized void transaction(SqlWork work) {
    try {
      db.setAutoCommit(false);
      try {
        work.run();
        db.commit();
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw fail(e);
    }
  }

  private String experimentName(long experimentId) {
    try (PreparedStatement p = db.prepareStatement("SELECT name FROM experiments WHERE id = ?")) {
      p.setLong(1, experimentId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getString(1) : String.valueOf(experimentId);
      }
    } catch (SQLException e) {
      throw fail(e);
    }
  }

  /**
   * Records an artifact path.
   *
   * @param runId the run
   * @param path a file the run wrote
   */
  public void artifact(String runId, Path path) {
    update(
        "INSERT OR IGNORE INTO artifacts VALUES (?, ?)", runId, path.toAbsolutePath().toString());
    mirrored(m -> m.artifact(runId, path));
  }

  /**
   * Ends a run.
   *
   * @param runId the run
   * @param status {@code FINISHED} or {@code FAILED}
   */
  public void finish(String runId, String status) {
    long now = System.currentTimeMillis();
    update("UPDATE runs SET status = ?, end_time = ? WHERE id = ?", status, now, runId);
    mirrored(m -> m.finish(runId, status, now));
  }

  /**
   * Starts a run under a caller-chosen id (e.g. a sweep whose id derives from its config), or
   * reopens it when this store already holds that id, so repeating the call never adds a run.
   *
   * @param id 32 hex digits
   * @param experimentId the experiment
   * @param parentId the parent run, or null
   * @param name a readable name
   * @return {@code true} when the run was new
   * @throws IllegalArgumentException when {@code id} is not 32 hex digits
   */
  public boolean startOrReopenRun(String id, long experimentId, String parentId, String name) {
    if (!id.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("run id must be 32 hex digits, found '" + id + "'");
    }
    if (!query(runSelect() + " WHERE r.id = '" + id + "'").isEmpty()) {
      reopen(id);
      return false;
    }
    insertRun(id, experimentId, parentId, name, true);
    return true;
  }

  /**
   * Copies one run of another store into this one under a given id, in one transaction, so that
   * runs recorded by separate processes (e.g. Spark task attempts, each with its own store) are
   * gathered exactly once: importing the same id again replaces an earlier copy unless that copy is
   * {@code FINISHED}, which always wins. Mirrored, when a mirror is set, as a reopen of that id (a
   * sink finds or creates its counterpart, so no second mirrored run appears).
   *
   * @param source the store holding the run
   * @param sourceId the run's id there
   * @param id the id it gets here, 32 hex digits (e.g. a deterministic id of the run's config)
   * @param parentId the parent run here, or null
   * @return {@code true} when copied, {@code false} when this store already holds {@code id} as
   *     {@code FINISHED}
   * @throws IllegalArgumentException when {@code id} is not 32 hex digits or the source lacks the
   *     run
   */
  public boolean importRun(RunStore source, String sourceId, String id, String parentId) {
    if (!id.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("run id must be 32 hex digits, found '" + id + "'");
    }
    Run from = source.run(sourceId);
    Run here = query(runSelect() + " WHERE r.id = '" + id + "'").stream().findFirst().orElse(null);
    if (here != null && "FINISHED".equals(here.status())) {
      return false;
    }
    long experimentId = experiment(from.experiment());
    Map<String, String> params = source.params(sourceId);
    Map<String, String> tags = source.tags(sourceId);
    List<Object[]> metrics = new ArrayList<>();
    List<String> artifacts = new ArrayList<>();
    try (PreparedStatement p =
        source.db.prepareStatement(
            "SELECT key, value, step, timestamp FROM metrics WHERE run_id = ? ORDER BY step")) {
      p.setString(1, sourceId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          metrics.add(new Object[] {r.getString(1), r.getDouble(2), r.getLong(3), r.getLong(4)});
        }
      }
      try (PreparedStatement a =
          source.db.prepareStatement("SELECT path FROM artifacts WHERE run_id = ? ORDER BY path")) {
        a.setString(1, sourceId);
        try (ResultSet r = a.executeQuery()) {
          while (r.next()) {
            artifacts.add(r.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw source.fail(e);
    }
    synchronized (this) {
      try {
        db.setAutoCommit(false);
        for (String table : new String[] {"params", "tags", "metrics", "artifacts"}) {
          exec("DELETE FROM " + table + " WHERE run_id = ?", id);
        }
        exec("DELETE FROM latest_metrics WHERE run_id = ?", id);
        exec("DELETE FROM runs WHERE id = ?", id);
        exec(
            "INSERT INTO runs (id, experiment_id, parent_id, name, status, start_time, end_time)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
            id,
            experimentId,
            parentId,
            from.name(),
            from.status(),
            from.startTime(),
            from.endTime() == 0 ? null : from.endTime());
        for (var e : params.entrySet()) {
          exec("INSERT INTO params VALUES (?, ?, ?)", id, e.getKey(), e.getValue());
        }
        for (var e : tags.entrySet()) {
          exec("INSERT INTO tags VALUES (?, ?, ?)", id, e.getKey(), e.getValue());
        }
        for (Object[] m : metrics) {
          exec("INSERT INTO metrics VALUES (?, ?, ?, ?, ?)", id, m[0], m[1], m[2], m[3]);
          exec(
              "INSERT INTO latest_metrics VALUES (?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE"
                  + " SET step = excluded.step, value = excluded.value WHERE excluded.step >="
                  + " latest_metrics.step",
              id,
              m[0],
              m[2],
              m[1]);
        }
        for (String a : artifacts) {
          exec("INSERT INTO artifacts VALUES (?, ?)", id, a);
        }
        db.commit();
      } catch (SQLException e) {
        try {
          db.rollback();
        } catch (SQLException ignored) {
          // the original failure is the one worth reporting
        }
        throw fail(e);
      } finally {
        try {
          db.setAutoCommit(true);
        } catch (SQLException e) {
          throw fail(e);
        }
      }
    }
    if (mirror != null) {
      mirrored(m -> m.reopen(id, from.experiment(), parentId, from.name(), from.startTime()));
      mirrored(m -> m.params(id, params));
      mirrored(m -> m.tags(id, tags));
      // one batch per step, as the tracking observer sends them
      Map<Long, Map<String, Double>> steps = new java.util.TreeMap<>();
      Map<Long, Long> times = new LinkedHashMap<>();
      for (Object[] row : metrics) {
        steps
            .computeIfAbsent((Long) row[2], k -> new LinkedHashMap<>())
            .put((String) row[0], (Double) row[1]);
        times.putIfAbsent((Long) row[2], (Long) row[3]);
      }
      for (var e : steps.entrySet()) {
        mirrored(m -> m.metrics(id, e.getValue(), e.getKey(), times.get(e.getKey())));
      }
      for (String a : artifacts) {
        mirrored(m -> m.artifact(id, Path.of(a)));
      }
      if (from.endTime() != 0) {
        mirrored(m -> m.finish(id, from.status(), from.endTime()));
      }
    }
    return true;
  }

  private static String runSelect() {
    return "SELECT r.id, e.name, r.parent_id, r.name, r.status, r.start_time,"
        + " COALESCE(r.end_time, 0) FROM runs r JOIN experiments e ON e.id = r.experiment_id";
  }

  private void exec(String sql, Object... args) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }

  /**
   * Marks an ended or interrupted run as running again (it is being resumed).
   *
   * @param runId the run
   */
  public void reopen(String runId) {
    update("UPDATE runs SET status = 'RUNNING', end_time = NULL WHERE id = ?", runId);
    if (mirror != null) {
      Run r = run(runId);
      mirrored(m -> m.reopen(runId, r.experiment(), r.parentId(), r.name(), r.startTime()));
    }
  }

  /**
   * A stored run.
   *
   * @param id its id
   * @param experiment the experiment name
   * @param parentId the parent's id, or null
   * @param name its name
   * @param status RUNNING, FINISHED or FAILED
   * @param startTime epoch milliseconds
   * @param endTime epoch milliseconds, 0 while running
   */
  public record Run(
      String id,
      String experiment,
      String parentId,
      String name,
      String status,
      long startTime,
      long endTime) {}

  /**
   * Lists runs, newest first.
   *
   * @param limit the most to return
   * @return the runs
   */
  public List<Run> runs(int limit) {
    return query(
        "SELECT r.id, e.name, r.parent_id, r.name, r.status, r.start_time, COALESCE(r.end_time, 0)"
            + " FROM runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY r.start_time DESC,"
            + " r.rowid DESC LIMIT "
            + limit);
  }

  /**
   * Finds a run by id or unique id prefix.
   *
   * @param idOrPrefix the id or its first characters
   * @return the run
   * @throws IllegalArgumentException when none or several match, listing recent runs
   */
  public Run run(String idOrPrefix) {
    boolean valid = idOrPrefix.matches("[0-9a-f]{1,32}");
    List<Run> found =
        valid
            ? query(
                "SELECT r.id, e.name, r.parent_id, r.name, r.status, r.start_time,"
                    + " COALESCE(r.end_time, 0) FROM runs r JOIN experiments e ON e.id ="
                    + " r.experiment_id WHERE r.id LIKE '"
                    + idOrPrefix
                    + "%'")
            : List.of();
    if (found.size() == 1) {
      return found.get(0);
    }
    StringBuilder recent = new StringBuilder();
    for (Run r : runs(5)) {
      recent
          .append(recent.length() == 0 ? "" : ", ")
          .append(r.id(), 0, 8)
          .append(' ')
          .append(r.name());
    }
    throw new IllegalArgumentException(
        (found.isEmpty() ? "no run '" : "several runs start with '")
            + idOrPrefix
            + "' in "
            + file
            + "; recent: "
            + (recent.length() == 0 ? "(none)" : recent));
  }

  /**
   * Returns the child runs of a run (the student runs of a study run), oldest first.
   *
   * @param parentId the parent run's id
   * @return the children
   */
  public List<Run> children(String parentId) {
    if (!parentId.matches("[0-9a-f]{32}")) {
      return List.of();
    }
    return query(
        "SELECT r.id, e.name, r.parent_id, r.name, r.status, r.start_time, COALESCE(r.end_time, 0)"
            + " FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.parent_id = '"
            + parentId
            + "' ORDER BY r.start_time, r.rowid");
  }

  /**
   * Returns the newest study run (a run without parent) of an experiment.
   *
   * @param experiment the study name
   * @return the run
   * @throws IllegalArgumentException when the experiment has no run, listing known experiments
   */
  public Run latestStudyRun(String experiment) {
    for (Run r : runs(Integer.MAX_VALUE)) {
      if (r.parentId() == null && r.experiment().equals(experiment)) {
        return r;
      }
    }
    List<String> names = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM experiments ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw fail(e);
    }
    throw new IllegalArgumentException(
        "no study '"
            + experiment
            + "' in "
            + file
            + "; studies: "
            + (names.isEmpty() ? "(none)" : String.join(", ", names)));
  }

  /**
   * Returns a run's parameters.
   *
   * @param runId the run
   * @return key to value, sorted by key
   */
  public Map<String, String> params(String runId) {
    return pairs("SELECT key, value FROM params WHERE run_id = ? ORDER BY key", runId);
  }

  /**
   * Returns a run's tags.
   *
   * @param runId the run
   * @return key to value, sorted by key
   */
  public Map<String, String> tags(String runId) {
    return pairs("SELECT key, value FROM tags WHERE run_id = ? ORDER BY key", runId);
  }

  /**
   * Returns a metric's full history.
   *
   * @param runId the run
   * @param key the metric key
   * @return values in step order
   */
  public List<double[]> history(String runId, String key) {
    List<double[]> out = new ArrayList<>();
    try (PreparedStatement p =
        db.prepareStatement(
            "SELECT step, value FROM metrics WHERE run_id = ? AND key = ? ORDER BY step")) {
      p.setString(1, runId);
      p.setString(2, key);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new double[] {r.getLong(1), r.getDouble(2)});
        }
      }
    } catch (SQLException e) {
      throw fail(e);
    }
    return out;
  }

  /**
   * Returns the latest value of every metric of a run.
   *
   * @param runId the run
   * @return key to the value at its highest step, sorted by key
   */
  public Map<String, Double> latestMetrics(String runId) {
    Map<String, Double> out = new LinkedHashMap<>();
    try (PreparedStatement p =
        db.prepareStatement(
            "SELECT key, value FROM latest_metrics WHERE run_id = ? ORDER BY key")) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getDouble(2));
        }
      }
    } catch (SQLException e) {
      throw fail(e);
    }
    return out;
  }

  private Map<String, String> pairs(String sql, String runId) {
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement p = db.prepareStatement(sql)) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getString(2));
        }
      }
    } catch (SQLException e) {
      throw fail(e);
    }
    return out;
  }

  private List<Run> query(String sql) {
    List<Run> out = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(
            new Run(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getLong(6),
                r.getLong(7)));
      }
    } catch (SQLException e) {
      throw fail(e);
    }
    return out;
  }

  private synchronized void update(String sql, Object... args) {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    } catch (SQLException e) {
      throw fail(e);
    }
  }

  private IllegalStateException fail(SQLException e) {
    return new IllegalStateException(file + ": run store error: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw fail(e);
    }
  }
}
