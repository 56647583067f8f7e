package org.taqtir.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.taqtir.api.Capability;
import org.taqtir.core.config.Study;
import org.taqtir.core.config.TeacherOutputs;
import org.taqtir.core.data.Hashes;
import org.taqtir.tracking.RunStore;

/**
 * Runs every (student, method, seed) of a study as its own Spark task and gathers the runs into one
 * run store, each exactly once.
 *
 * <ol>
 *   <li>The driver trains the study's teacher if it trains one and it is not trained yet, and
 *       computes the teacher outputs on Spark ({@link TeacherPrecompute}), so no task runs the
 *       teacher over the transfer set.
 *   <li>Every grid point gets a deterministic id ({@link SweepRun}). A run the store already holds
 *       as {@code FINISHED} is skipped; so is one whose finished attempt is still on disk from an
 *       earlier sweep that stopped before gathering it (it is gathered now).
 *   <li>The remaining runs become one task each ({@link SweepTask}); every attempt records into its
 *       own directory and store.
 *   <li>The driver gathers, per run id, one ended attempt into the store: a finished one if any,
 *       else a failed one. {@link RunStore#importRun} is keyed by the id and a {@code FINISHED}
 *       record is never replaced, so retried, speculative or repeated attempts neither lose nor
 *       duplicate a run. A run whose every attempt died is recorded {@code FAILED} with Spark's
 *       error.
 * </ol>
 *
 * All runs hang under one parent run for the sweep, whose id derives from the study and its data;
 * the store is the study's own {@code <output.dir>/taqtir.db} unless another is given, and is
 * mirrored to MLflow when a tracking URI is set.
 */
public final class StudySweep {

  /** File name of an attempt's own run store. */
  static final String ATTEMPT_STORE = "runs.db";

  private StudySweep() {}

  /**
   * One run of the sweep.
   *
   * @param id its deterministic id in the store
   * @param label {@code <student>/<method>/seed<seed>}
   * @param status FINISHED or FAILED as recorded in the store
   * @param how {@code ran} (in this sweep), {@code skipped} (finished in the store before), or
   *     {@code gathered} (a finished attempt of an earlier sweep)
   * @param attempts attempt directories the run has (one per task attempt that started, a killed
   *     one included), 0 unless ran
   * @param seconds the recorded attempt's wall time, 0 unless ran
   * @param error the recorded failure, or null
   */
  public record Outcome(
      String id,
      String label,
      String status,
      String how,
      int attempts,
      double seconds,
      String error) {}

  /**
   * What a sweep did.
   *
   * @param sweepRunId the sweep's parent run in the store
   * @param store the store file
   * @param root the directory of the attempts
   * @param outcomes one per grid point, in grid order
   * @param seconds wall time of the runs' Spark job (0 when nothing ran)
   */
  public record Summary(
      String sweepRunId, Path store, Path root, List<Outcome> outcomes, double seconds) {

    /**
     * Counts the runs recorded with a status.
     *
     * @param status FINISHED or FAILED
     * @return how many
     */
    public long count(String status) {
      return outcomes.stream().filter(o -> o.status().equals(status)).count();
    }
  }

  /**
   * Trains the teacher if needed and precomputes its outputs: what every run of the sweep reads.
   *
   * @param sc the Spark context
   * @param loaded the study, loaded on the driver
   * @param partitions partitions of the precompute job
   * @param log status lines
   */
  static void prepare(JavaSparkContext sc, StudyData loaded, int partitions, Consumer<String> log) {
    Study study = loaded.study;
    boolean needTeacher =
        study.strategies().stream()
            .flatMap(m -> m.terms().stream())
            .anyMatch(
                t ->
                    loaded
                        .registry
                        .strategies()
                        .get(t.strategy().id())
                        .capabilities()
                        .contains(Capability.NEEDS_TEACHER));
    if (!needTeacher) {
      return;
    }
    if (study.teacher().outputs() == TeacherOutputs.PER_BATCH) {
      if (study.teacher().load() == null) {
        loaded.trainTeacher();
      }
      return;
    }
    TeacherPrecompute.run(sc, loaded, partitions, log);
  }

  /**
   * Runs the sweep (after {@link #prepare}).
   *
   * @param sc the Spark context
   * @param loaded the study, loaded on the driver
   * @param storeFile the run store to gather into
   * @param root where the attempts write (e.g. {@code <output.dir>/<study>/sweeps/<id>})
   * @param store the open store
   * @param log status lines
   * @return the outcome of every grid point
   */
  static Summary run(
      JavaSparkContext sc, StudyData loaded, RunStore store, Path root, Consumer<String> log) {
    return run(sc, loaded, store, root, log, () -> {});
  }

  /**
   * Runs the sweep.
   *
   * @param sc the Spark context
   * @param loaded the study, loaded on the driver
   * @param store the open store
   * @param root where the attempts write (e.g. {@link #root})
   * @param log status lines
   * @param prepare called once before the runs' job when any run is left to run (e.g. {@link
   *     #prepare}); not called when every run is finished already
   * @return the outcome of every grid point
   */
  static Summary run(
      JavaSparkContext sc,
      StudyData loaded,
      RunStore store,
      Path root,
      Consumer<String> log,
      Runnable prepare) {
    String file =
        loaded.study.file() == null ? null : loaded.study.file().toAbsolutePath().toString();
    SweepTask task = new SweepTask(file, root, runThreads(sc));
    return run(
        loaded,
        store,
        root,
        log,
        prepare,
        pending -> sc.parallelize(pending, pending.size()).map(task).collect());
  }

  /**
   * PyTorch threads per run process: the property {@code spark.taqtir.runThreads} when set; in
   * local mode the machine's cores divided by the task slots ({@code local[2]} on 2 cores: 1 each);
   * on a cluster {@code spark.task.cpus} (1 unless set).
   *
   * @param sc the context
   * @return at least 1
   */
  static int runThreads(JavaSparkContext sc) {
    var conf = sc.getConf();
    if (conf.contains("spark.taqtir.runThreads")) {
      return Math.max(1, conf.getInt("spark.taqtir.runThreads", 1));
    }
    String master = sc.master();
    int cores = Runtime.getRuntime().availableProcessors();
    if (master.startsWith("local")) {
      var m = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)").matcher(master);
      int slots = !m.find() ? 1 : m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
      return Math.max(1, cores / Math.max(1, slots));
    }
    return Math.max(1, conf.getInt("spark.task.cpus", 1));
  }

  /**
   * Runs the same runs one after another from this JVM, each exactly as a task runs it, with every
   * core for the one run (the baseline of {@code taqtir-spark sweep --bench}).
   *
   * @param loaded the study, loaded on the driver
   * @param store the open store
   * @param root where the runs write
   * @param log status lines
   * @return the outcome of every grid point
   */
  static Summary runSequentially(
      StudyData loaded, RunStore store, Path root, Consumer<String> log) {
    String file =
        loaded.study.file() == null ? null : loaded.study.file().toAbsolutePath().toString();
    SweepTask task = new SweepTask(file, root, Runtime.getRuntime().availableProcessors());
    return run(
        loaded,
        store,
        root,
        log,
        () -> {},
        pending -> {
          List<SweepTask.Result> out = new ArrayList<>();
          for (SweepRun r : pending) {
            try {
              out.add(task.call(r));
            } catch (IllegalStateException e) {
              // the process died: nothing retries it here, so it is recorded as failed
              out.add(new SweepTask.Result(r.id(), r.label(), "DIED", 0, 0, e.getMessage()));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          }
          return out;
        });
  }

  private static Summary run(
      StudyData loaded,
      RunStore store,
      Path root,
      Consumer<String> log,
      Runnable prepare,
      java.util.function.Function<List<SweepRun>, List<SweepTask.Result>> execute) {
    Study study = loaded.study;
    String sweepId =
        Hashes.sha256("sweep\n" + study.toYaml() + "\ndata=" + loaded.data.hash()).substring(0, 32);
    long experiment = store.experiment(study.name());
    store.startOrReopenRun(sweepId, experiment, null, study.name() + " sweep");
    store.tags(
        sweepId,
        Map.of(
            "sweep.root", root.toAbsolutePath().toString(),
            "data.hash", loaded.data.hash(),
            "config", study.toYaml()));
    List<SweepRun> grid = loaded.grid();
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    List<SweepRun> pending = new ArrayList<>();
    for (SweepRun r : grid) {
      if ("FINISHED".equals(status(store, r.id()))) {
        outcomes.put(r.id(), new Outcome(r.id(), r.label(), "FINISHED", "skipped", 0, 0, null));
      } else if (gather(store, sweepId, root, r, true)) {
        outcomes.put(r.id(), new Outcome(r.id(), r.label(), "FINISHED", "gathered", 0, 0, null));
      } else {
        pending.add(r);
      }
    }
    log.accept(
        String.format(
            "sweep: %d runs, %d finished before, %d to run",
            grid.size(), grid.size() - pending.size(), pending.size()));
    List<SweepTask.Result> results = List.of();
    String jobError = null;
    long start = System.nanoTime();
    if (!pending.isEmpty()) {
      prepare.run();
      List<SweepRun> ready = loaded.ready(pending);
      start = System.nanoTime();
      try {
        results = execute.apply(ready);
      } catch (Exception e) { // SparkException is checked but not declared by collect()
        jobError = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
        log.accept("sweep: the Spark job failed, gathering what ended: " + jobError);
      }
    }
    double seconds = pending.isEmpty() ? 0 : (System.nanoTime() - start) / 1e9;
    Map<String, SweepTask.Result> byId = new LinkedHashMap<>();
    results.forEach(r -> byId.put(r.id(), r));
    for (SweepRun r : pending) {
      gather(store, sweepId, root, r, false);
      String status = status(store, r.id());
      SweepTask.Result res = byId.get(r.id());
      if (status == null) {
        String error =
            "every attempt died: "
                + (res != null && res.error() != null
                    ? res.error()
                    : jobError == null ? "no attempt ended" : jobError);
        store.startOrReopenRun(r.id(), experiment, sweepId, r.label());
        store.tags(r.id(), Map.of("error", error));
        store.finish(r.id(), "FAILED");
        status = "FAILED";
      }
      String error = store.tags(r.id()).get("error");
      outcomes.put(
          r.id(),
          new Outcome(
              r.id(),
              r.label(),
              status,
              "ran",
              attemptsEnded(root, r),
              res == null ? 0 : res.seconds(),
              error));
    }
    List<Outcome> ordered = grid.stream().map(r -> outcomes.get(r.id())).toList();
    boolean ok = ordered.stream().allMatch(o -> o.status().equals("FINISHED"));
    store.finish(sweepId, ok ? "FINISHED" : "FAILED");
    return new Summary(sweepId, store.file(), root, ordered, seconds);
  }

  /** The status of a run in the store, or null when it holds no such run. */
  static String status(RunStore store, String id) {
    try {
      return store.run(id).status();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Copies one ended attempt of a run into the store: a finished attempt first, else (unless {@code
   * finishedOnly}) a failed one.
   *
   * @return whether the store now holds the run as FINISHED
   */
  static boolean gather(
      RunStore store, String sweepId, Path root, SweepRun run, boolean finishedOnly) {
    Path dir = root.resolve("runs").resolve(run.id());
    if (!Files.isDirectory(dir)) {
      return false;
    }
    List<Path> attempts;
    try (Stream<Path> s = Files.list(dir)) {
      attempts = s.filter(p -> Files.isRegularFile(p.resolve(ATTEMPT_STORE))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (String wanted : finishedOnly ? List.of("FINISHED") : List.of("FINISHED", "FAILED")) {
      for (Path a : attempts) {
        try (RunStore src = RunStore.open(a.resolve(ATTEMPT_STORE))) {
          for (RunStore.Run r : src.runs(Integer.MAX_VALUE)) {
            if (r.parentId() != null && r.name().equals(run.label()) && r.status().equals(wanted)) {
              store.importRun(src, r.id(), run.id(), sweepId);
              return "FINISHED".equals(status(store, run.id()));
            }
          }
        }
      }
    }
    return false;
  }

  private static int attemptsEnded(Path root, SweepRun run) {
    Path dir = root.resolve("runs").resolve(run.id());
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The directory a sweep's attempts write to: {@code <output.dir>/<study>/sweeps/<first 16 hex
   * digits of the sweep id>}.
   *
   * @param loaded the study
   * @return the directory
   */
  static Path root(StudyData loaded) {
    String sweepId =
        Hashes.sha256("sweep\n" + loaded.study.toYaml() + "\ndata=" + loaded.data.hash());
    return loaded
        .study
        .output()
        .dir()
        .resolve(loaded.study.name())
        .resolve("sweeps")
        .resolve(sweepId.substring(0, 16));
  }

  /**
   * The store a sweep gathers into unless told otherwise: the one {@code taqtir run} records in.
   *
   * @param study the study
   * @return the study's {@code <output.dir>/taqtir.db}
   */
  static Path defaultStore(Study study) {
    return study.output().dir().resolve("taqtir.db");
  }
}
