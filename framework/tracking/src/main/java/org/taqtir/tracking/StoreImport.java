package org.taqtir.tracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taqtir.tracking.RunStore.Run;

/** Copying one run between stores, in one transaction ({@link RunStore#importRun}). */
final class StoreImport {

  private StoreImport() {}

  /**
   * Everything recorded for a run.
   *
   * @param params its parameters
   * @param tags its tags
   * @param metrics rows of key, value, step, timestamp, in step order
   * @param artifacts artifact paths, sorted
   */
  record Copy(
      Map<String, String> params,
      Map<String, String> tags,
      List<Object[]> metrics,
      List<String> artifacts) {}

  /** Reads a run's records from the source store. */
  static Copy read(Connection source, String sourceId) throws SQLException {
    Map<String, String> params =
        pairs(source, "SELECT key, value FROM params WHERE run_id = ? ORDER BY key", sourceId);
    Map<String, String> tags =
        pairs(source, "SELECT key, value FROM tags WHERE run_id = ? ORDER BY key", sourceId);
    List<Object[]> metrics = new ArrayList<>();
    List<String> artifacts = new ArrayList<>();
    try (PreparedStatement p =
        source.prepareStatement(
            "SELECT key, value, step, timestamp FROM metrics WHERE run_id = ? ORDER BY step")) {
      p.setString(1, sourceId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          metrics.add(new Object[] {r.getString(1), r.getDouble(2), r.getLong(3), r.getLong(4)});
        }
      }
    }
    try (PreparedStatement a =
        source.prepareStatement("SELECT path FROM artifacts WHERE run_id = ? ORDER BY path")) {
      a.setString(1, sourceId);
      try (ResultSet r = a.executeQuery()) {
        while (r.next()) {
          artifacts.add(r.getString(1));
        }
      }
    }
    return new Copy(params, tags, metrics, artifacts);
  }

  /**
   * Replaces whatever the target holds under {@code id} with the copy, in one transaction.
   *
   * @param db the target store's connection (the caller holds its lock)
   * @param id the run's id in the target
   * @param experimentId the experiment in the target
   * @param parentId the parent run in the target, or null
   * @param from the run as the source recorded it
   * @param copy its records
   * @throws SQLException when the target cannot be written (nothing of the copy is kept)
   */
  static void write(
      Connection db, String id, long experimentId, String parentId, Run from, Copy copy)
      throws SQLException {
    db.setAutoCommit(false);
    try {
      for (String table : new String[] {"params", "tags", "metrics", "artifacts"}) {
        exec(db, "DELETE FROM " + table + " WHERE run_id = ?", id);
      }
      exec(db, "DELETE FROM latest_metrics WHERE run_id = ?", id);
      exec(db, "DELETE FROM runs WHERE id = ?", id);
      exec(
          db,
          "INSERT INTO runs (id, experiment_id, parent_id, name, status, start_time, end_time)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)",
          id,
          experimentId,
          parentId,
          from.name(),
          from.status(),
          from.startTime(),
          from.endTime() == 0 ? null : from.endTime());
      for (var e : copy.params().entrySet()) {
        exec(db, "INSERT INTO params VALUES (?, ?, ?)", id, e.getKey(), e.getValue());
      }
      for (var e : copy.tags().entrySet()) {
        exec(db, "INSERT INTO tags VALUES (?, ?, ?)", id, e.getKey(), e.getValue());
      }
      for (Object[] m : copy.metrics()) {
        exec(db, "INSERT INTO metrics VALUES (?, ?, ?, ?, ?)", id, m[0], m[1], m[2], m[3]);
        exec(
            db,
            "INSERT INTO latest_metrics VALUES (?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE"
                + " SET step = excluded.step, value = excluded.value WHERE excluded.step >="
                + " latest_metrics.step",
            id,
            m[0],
            m[2],
            m[1]);
      }
      for (String a : copy.artifacts()) {
        exec(db, "INSERT INTO artifacts VALUES (?, ?)", id, a);
      }
      db.commit();
    } catch (SQLException e) {
      try {
        db.rollback();
      } catch (SQLException ignored) {
        // the original failure is the one worth reporting
      }
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /**
   * Sends a copied run to a mirror, one metrics batch per step as the tracking observer sends them;
   * the mirror finds or creates its counterpart by id, so no second run appears there.
   */
  static void replay(
      String id,
      String parentId,
      Run from,
      Copy copy,
      java.util.function.Consumer<java.util.function.Consumer<RunSink>> mirrored) {
    mirrored.accept(m -> m.reopen(id, from.experiment(), parentId, from.name(), from.startTime()));
    mirrored.accept(m -> m.params(id, copy.params()));
    mirrored.accept(m -> m.tags(id, copy.tags()));
    Map<Long, Map<String, Double>> steps = new java.util.TreeMap<>();
    Map<Long, Long> times = new java.util.LinkedHashMap<>();
    for (Object[] row : copy.metrics()) {
      steps
          .computeIfAbsent((Long) row[2], k -> new java.util.LinkedHashMap<>())
          .put((String) row[0], (Double) row[1]);
      times.putIfAbsent((Long) row[2], (Long) row[3]);
    }
    for (var e : steps.entrySet()) {
      mirrored.accept(m -> m.metrics(id, e.getValue(), e.getKey(), times.get(e.getKey())));
    }
    for (String a : copy.artifacts()) {
      mirrored.accept(m -> m.artifact(id, java.nio.file.Path.of(a)));
    }
    if (from.endTime() != 0) {
      mirrored.accept(m -> m.finish(id, from.status(), from.endTime()));
    }
  }

  private static Map<String, String> pairs(Connection db, String sql, String runId)
      throws SQLException {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    try (PreparedStatement p = db.prepareStatement(sql)) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), r.getString(2));
        }
      }
    }
    return out;
  }

  private static void exec(Connection db, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }
}
