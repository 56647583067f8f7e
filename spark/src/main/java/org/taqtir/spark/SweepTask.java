package org.taqtir.spark;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.Function;
import org.taqtir.core.train.JvmFlags;

/**
 * Runs one grid point as a normal Taqtir run inside a Spark task, in a JVM of its own ({@link
 * RunChild}). DJL's PyTorch engine trains one model at a time per process (its gradient collector
 * is process-wide), so two tasks of an executor can only train side by side in separate processes;
 * a process per run also gives each run its own thread count and frees its native memory when it
 * ends.
 *
 * <p>Each task attempt writes into its own directory, {@code <sweep>/runs/<run
 * id>/attempt-<n>-<task attempt id>/}: the run's files under {@code study/}, its record in its own
 * store {@code runs.db}, the process's output in {@code log.txt} and its outcome in {@code
 * result.properties}. Nothing is shared between attempts, so an attempt that dies leaves only its
 * own directory behind, and the driver gathers the ended attempts into the sweep's store afterwards
 * ({@link StudySweep}).
 *
 * <p>An exception in the run (a plugin that throws, a diverged loss) ends the process normally with
 * the run recorded as {@code FAILED}; a process that dies (killed, out of memory) fails the task,
 * and Spark tries it again.
 */
final class SweepTask implements Function<SweepRun, SweepTask.Result> {

  private static final long serialVersionUID = 1L;

  /**
   * System property naming a run label whose first task attempt's process kills itself after the
   * first epoch, to test the retry path for real; {@code TAQTIR_SPARK_KILL_FIRST_ATTEMPT} in the
   * environment works the same. Applies only inside Spark tasks (a run outside Spark has no retry).
   */
  static final String KILL_FIRST_ATTEMPT = "taqtir.spark.killFirstAttempt";

  /**
   * Like {@link #KILL_FIRST_ATTEMPT}, for every attempt of the run (so the job fails); {@code
   * TAQTIR_SPARK_KILL_EVERY_ATTEMPT} in the environment works the same.
   */
  static final String KILL_EVERY_ATTEMPT = "taqtir.spark.killEveryAttempt";

  /** Run processes still running in this JVM, stopped if the JVM exits before they end. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "taqtir-runs"));
  }

  /** Extra JVM options for the run processes, split at spaces. */
  static final String RUN_JAVA_OPTS = "TAQTIR_RUN_JAVA_OPTS";

  private final String file;
  private final String root;
  private final int threads;
  private final String kill;
  private final String killEvery;

  /**
   * What an attempt reports to the driver.
   *
   * @param id the run id
   * @param label the run label
   * @param status FINISHED or FAILED; DIED when the run's process died (only outside Spark, which
   *     retries a task whose process died instead)
   * @param attempt Spark's attempt number (0 for the first)
   * @param seconds the run's wall time in its process
   * @param error the failure, or null
   */
  record Result(String id, String label, String status, int attempt, double seconds, String error)
      implements Serializable {}

  /**
   * Creates the task function (on the driver).
   *
   * @param file the study file, for relative paths and messages (may be null)
   * @param root the sweep's directory
   * @param threads PyTorch threads of each run process
   */
  SweepTask(String file, Path root, int threads) {
    this.file = file;
    this.root = root.toAbsolutePath().toString();
    this.threads = threads;
    this.kill =
        System.getProperty(KILL_FIRST_ATTEMPT, System.getenv("TAQTIR_SPARK_KILL_FIRST_ATTEMPT"));
    this.killEvery =
        System.getProperty(KILL_EVERY_ATTEMPT, System.getenv("TAQTIR_SPARK_KILL_EVERY_ATTEMPT"));
  }

  @Override
  public Result call(SweepRun run) throws IOException, InterruptedException {
    TaskContext ctx = TaskContext.get();
    int attempt = ctx == null ? 0 : ctx.attemptNumber();
    long attemptId = ctx == null ? 0 : ctx.taskAttemptId();
    Path dir = attemptDir(Path.of(root), run.id(), attempt, attemptId);
    Files.createDirectories(dir);
    Path yaml = dir.resolve("run.yaml");
    Files.writeString(yaml, run.yaml(), StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JvmFlags.forTraining(threads, null));
    String extra = System.getenv(RUN_JAVA_OPTS);
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", classpath(), RunChild.class.getName()));
    cmd.addAll(List.of(yaml.toString(), file == null ? "" : file, run.label(), dir.toString()));
    if (ctx != null
        && (attempt == 0 && run.label().equals(kill) || run.label().equals(killEvery))) {
      cmd.add(RunChild.DIE_AFTER_FIRST_EPOCH);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(JvmFlags.environment(System.getenv()));
    Process p =
        pb.redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log.txt").toFile()))
            .start();
    LIVE.add(p);
    int code;
    try {
      // Spark marks a task it kills (the job failed or was cancelled, a speculative copy lost)
      // without always interrupting its thread: look every second, and stop the run with it
      while (!p.waitFor(1, TimeUnit.SECONDS)) {
        if (ctx != null && ctx.isInterrupted()) {
          p.destroyForcibly().waitFor();
          throw new TaskKilledException("the run's task was killed; its process is stopped");
        }
      }
      code = p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    } finally {
      LIVE.remove(p);
    }
    Path result = dir.resolve(RunChild.RESULT);
    if (code != 0 || !Files.isRegularFile(result)) {
      throw new IllegalStateException(
          "run "
              + run.label()
              + ": its process died (exit "
              + code
              + ") before recording an outcome; see "
              + dir.resolve("log.txt"));
    }
    Properties r = new Properties();
    try (var in = Files.newBufferedReader(result, StandardCharsets.UTF_8)) {
      r.load(in);
    }
    return new Result(
        run.id(),
        run.label(),
        r.getProperty("status"),
        attempt,
        Double.parseDouble(r.getProperty("seconds", "0")),
        r.getProperty("error"));
  }

  /** The attempt directory of a run: nothing else writes there. */
  static Path attemptDir(Path root, String id, int attempt, long attemptId) {
    return root.resolve("runs").resolve(id).resolve("attempt-" + attempt + "-" + attemptId);
  }

  /**
   * The classpath of this JVM: {@code java.class.path} plus the jars an executor added at run time
   * ({@code spark-submit --jars} puts them on a class loader, not on the JVM's classpath).
   */
  static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    for (ClassLoader l = SweepTask.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException e) {
              throw new UncheckedIOException(new IOException("bad class path URL " + url, e));
            }
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
