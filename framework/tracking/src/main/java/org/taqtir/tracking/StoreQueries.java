package org.taqtir.tracking;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taqtir.tracking.RunStore.Run;

/** The run store's reads: runs by id, prefix, parent or study; parameters, tags and metrics. */
final class StoreQueries {

  private final Path file;
  private final Connection db;

  StoreQueries(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /**
   * Lists runs, newest first.
   *
   * @param limit the most to return
   * @return the runs
   */
  List<Run> runs(int limit) {
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
  Run run(String idOrPrefix) {
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
  List<Run> children(String parentId) {
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
  Run latestStudyRun(String experiment) {
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
   * Returns a metric's full history.
   *
   * @param runId the run
   * @param key the metric key
   * @return values in step order
   */
  List<double[]> history(String runId, String key) {
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
  Map<String, Double> latestMetrics(String runId) {
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

  /**
   * Finds a run by its full id.
   *
   * @param id 32 hex digits
   * @return the run, or null
   */
  Run byId(String id) {
    return query(
            "SELECT r.id, e.name, r.parent_id, r.name, r.status, r.start_time,"
                + " COALESCE(r.end_time, 0) FROM runs r JOIN experiments e ON e.id ="
                + " r.experiment_id WHERE r.id = '"
                + id
                + "'")
        .stream()
        .findFirst()
        .orElse(null);
  }

  String experimentName(long experimentId) {
    try (PreparedStatement p = db.prepareStatement("SELECT name FROM experiments WHERE id = ?")) {
      p.setLong(1, experimentId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getString(1) : String.valueOf(experimentId);
      }
    } catch (SQLException e) {
      throw fail(e);
    }
  }

  Map<String, String> pairs(String sql, String runId) {
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

  private RuntimeException fail(SQLException e) {
    return StoreSchema.error(file, e);
  }
}
