package org.taqtir.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The run store's file: refusing files that are not a Taqtir store or are damaged (left untouched:
 * both are checked on a read-only connection before anything is written), creating the tables of a
 * new one, and upgrading an older schema in place.
 */
final class StoreSchema {

  static final String APP = "taqtir-runs";
  static final int SCHEMA = 2;

  /** SQLite's primary result codes for a damaged file. */
  private static final int SQLITE_CORRUPT = 11;

  private static final int SQLITE_NOTADB = 26;

  /** How much of the file is checked before it is opened. */
  enum Check {
    /** {@code PRAGMA quick_check} of the whole file: before a store is written. */
    FULL,
    /**
     * {@code quick_check} of every table but the metric histories (the bulk of a big store, read
     * only by {@code history}): before a store is only queried; a damaged history page is still
     * refused when it is read.
     */
    QUERIES
  }

  private StoreSchema() {}

  /**
   * Opens (creating when absent) a store's database.
   *
   * @param file the database file
   * @param check how much of an existing file is checked first
   * @return the open connection
   * @throws IllegalArgumentException when the file exists but is not a Taqtir store, or is damaged
   */
  static Connection open(Path file, Check check) {
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException(
            file + ": a directory, not a run store; give the store's file (e.g. runs/taqtir.db)");
      }
      boolean fresh = !Files.exists(file) || Files.size(file) == 0;
      if (!fresh) {
        checkForeign(file, check);
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
      return c;
    } catch (SQLException e) {
      throw error(file, e);
    } catch (java.io.IOException e) {
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

  /**
   * Maps an SQLite error to the exception the CLI reports: a damaged file is bad input (one line,
   * exit 2), anything else a failure.
   *
   * @param file the store
   * @param e the error
   * @return the exception to throw
   */
  static RuntimeException error(Path file, SQLException e) {
    int code = e.getErrorCode() & 0xff;
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
      return new IllegalArgumentException(damaged(file, oneLine(e.getMessage())), e);
    }
    return new IllegalStateException(file + ": run store error: " + e.getMessage(), e);
  }

  private static String damaged(Path file, String problem) {
    return file
        + ": the run store is damaged ("
        + problem
        + "); restore it from a backup, or move it away to start a new store; left untouched";
  }

  private static String oneLine(String s) {
    return String.valueOf(s).lines().map(String::strip).reduce((a, b) -> a + "; " + b).orElse("");
  }

  private static void checkForeign(Path file, Check check) throws java.io.IOException {
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
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT value FROM meta WHERE key = 'app'")) {
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
      String problem = integrity(s, check);
      if (problem != null) {
        throw new IllegalArgumentException(damaged(file, problem));
      }
    } catch (SQLException e) {
      throw error(file, e);
    }
  }

  /** SQLite's quick_check on the open read-only connection; null when it finds nothing. */
  private static String integrity(Statement s, Check check) throws SQLException {
    java.util.List<String> checks = new java.util.ArrayList<>();
    if (check == Check.FULL) {
      checks.add("PRAGMA quick_check(5)");
    } else {
      try (ResultSet r =
          s.executeQuery(
              "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'metrics'"
                  + " ORDER BY name")) {
        while (r.next()) {
          checks.add("PRAGMA quick_check(\"" + r.getString(1).replace("\"", "\"\"") + "\")");
        }
      }
    }
    for (String sql : checks) {
      try (ResultSet r = s.executeQuery(sql)) {
        java.util.List<String> found = new java.util.ArrayList<>();
        while (r.next()) {
          found.add(r.getString(1));
        }
        if (!found.equals(java.util.List.of("ok"))) {
          return "quick_check: " + oneLine(String.join("; ", found));
        }
      } catch (SQLException e) {
        int code = e.getErrorCode() & 0xff;
        if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
          return "quick_check: " + oneLine(e.getMessage());
        }
        throw e;
      }
    }
    return null;
  }
}
