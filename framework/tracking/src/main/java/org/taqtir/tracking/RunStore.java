package org.taqtir.tracking;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An embedded run store in one SQLite file. Safe for several processes writing at once (WAL
 * journal, 30 s busy timeout); every call commits on its own. A file that is not a Taqtir store, or
 * whose pages SQLite's {@code quick_check} finds damaged, is refused with a one-line message and
 * never modified.
 */
public final class RunStore implements AutoCloseable {

  private final Path file;
  private final Connection db;
  private final StoreQueries queries;
  private volatile RunSink mirror;
  private java.util.function.Consumer<String> warn = System.err::println;

  private RunStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
    this.queries = new StoreQueries(file, db);
  }

  /**
   * Opens (creating when absent) a store.
   *
   * @param file the database file, e.g. {@code runs/taqtir.db}
   * @return the open store, to be closed
   * @throws IllegalArgumentException when the file exists but is not a Taqtir store
   */
  public static RunStore open(Path file) {
    return new RunStore(file, StoreSchema.open(file, StoreSchema.Check.FULL));
  }

  /**
   * Opens an existing store to query it ({@code runs list}, {@code compare}, ...): like {@link
   * #open}, but the integrity check before opening skips the metric histories, the bulk of a large
   * store (a damaged history page is refused when it is read). Use {@link #open} before writing.
   *
   * @param file the database file
   * @return the open store, to be closed
   * @throws IllegalArgumentException when the file is not a Taqtir store or is damaged
   */
  public static RunStore openToQuery(Path file) {
    return new RunStore(file, StoreSchema.open(file, StoreSchema.Check.QUERIES));
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
      String experiment = queries.experimentName(experimentId);
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
   * Removes tags (e.g. the error of a failed run that is resumed). The local store only: a mirror
   * keeps the tags it was sent.
   *
   * @param runId the run
   * @param keys the tag keys
   */
  public void removeTags(String runId, java.util.Collection<String> keys) {
    for (String k : keys) {
      update("DELETE FROM tags WHERE run_id = ? AND key = ?", runId, k);
    }
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
    if (queries.byId(id) != null) {
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
    Run here = queries.byId(id);
    if (here != null && "FINISHED".equals(here.status())) {
      return false;
    }
    long experimentId = experiment(from.experiment());
    StoreImport.Copy copy;
    try {
      copy = StoreImport.read(source.db, sourceId);
    } catch (SQLException e) {
      throw source.fail(e);
    }
    synchronized (this) {
      try {
        StoreImport.write(db, id, experimentId, parentId, from, copy);
      } catch (SQLException e) {
        throw fail(e);
      }
    }
    if (mirror != null) {
      StoreImport.replay(id, parentId, from, copy, this::mirrored);
    }
    return true;
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
    return queries.runs(limit);
  }

  /**
   * Finds a run by id or unique id prefix.
   *
   * @param idOrPrefix the id or its first characters
   * @return the run
   * @throws IllegalArgumentException when none or several match, listing recent runs
   */
  public Run run(String idOrPrefix) {
    return queries.run(idOrPrefix);
  }

  /**
   * Returns the child runs of a run (the student runs of a study run), oldest first.
   *
   * @param parentId the parent run's id
   * @return the children
   */
  public List<Run> children(String parentId) {
    return queries.children(parentId);
  }

  /**
   * Returns the newest study run (a run without parent) of an experiment.
   *
   * @param experiment the study name
   * @return the run
   * @throws IllegalArgumentException when the experiment has no run, listing known experiments
   */
  public Run latestStudyRun(String experiment) {
    return queries.latestStudyRun(experiment);
  }

  /**
   * Returns a run's parameters.
   *
   * @param runId the run
   * @return key to value, sorted by key
   */
  public Map<String, String> params(String runId) {
    return queries.pairs("SELECT key, value FROM params WHERE run_id = ? ORDER BY key", runId);
  }

  /**
   * Returns a run's tags.
   *
   * @param runId the run
   * @return key to value, sorted by key
   */
  public Map<String, String> tags(String runId) {
    return queries.pairs("SELECT key, value FROM tags WHERE run_id = ? ORDER BY key", runId);
  }

  /**
   * Returns a metric's full history.
   *
   * @param runId the run
   * @param key the metric key
   * @return values in step order
   */
  public List<double[]> history(String runId, String key) {
    return queries.history(runId, key);
  }

  /**
   * Returns the latest value of every metric of a run.
   *
   * @param runId the run
   * @return key to the value at its highest step, sorted by key
   */
  public Map<String, Double> latestMetrics(String runId) {
    return queries.latestMetrics(runId);
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

  private RuntimeException fail(SQLException e) {
    return StoreSchema.error(file, e);
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
