package org.taqtir.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;
import org.taqtir.tracking.RunStore;
import org.taqtir.tracking.TrackingObserver;

/**
 * The process of one sweep run ({@link SweepTask}): runs a one-run study exactly as {@code taqtir
 * run} would, recording it in the attempt's own store, and writes {@value #RESULT}. Uses no Spark.
 *
 * <p>Arguments: the one-run study YAML file, the original study file (or empty), the run label, the
 * attempt directory, and optionally {@value #DIE_AFTER_FIRST_EPOCH}.
 */
final class RunChild {

  /** The outcome file: status, seconds, error. */
  static final String RESULT = "result.properties";

  /** Test hook: the process halts (as if killed) after the run's first epoch. */
  static final String DIE_AFTER_FIRST_EPOCH = "--die-after-first-epoch";

  private RunChild() {}

  /**
   * Runs the one-run study.
   *
   * @param args see the class comment
   * @throws IOException when the study or the outcome cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    Path yaml = Path.of(args[0]);
    Path file = args[1].isEmpty() ? yaml : Path.of(args[1]);
    String label = args[2];
    Path dir = Path.of(args[3]);
    boolean die = args.length > 4 && args[4].equals(DIE_AFTER_FIRST_EPOCH);
    long start = System.nanoTime();
    PluginRegistry registry = PluginRegistry.load();
    Study study =
        new StudyParser(registry)
            .parse(Files.readString(yaml, StandardCharsets.UTF_8), file, Map.of());
    String status;
    String error;
    try (RunStore store = RunStore.open(dir.resolve(StudySweep.ATTEMPT_STORE))) {
      TrackingObserver tracking = new TrackingObserver(store, null, registry);
      StudyRunner runner =
          new StudyRunner(
                  registry,
                  l -> die && !"teacher".equals(l) ? haltAfterFirstEpoch() : TrainingListener.NONE,
                  System.out::println)
              .observer(tracking)
              .outputDir(dir.resolve("study"));
      try {
        StudyResult result = runner.run(study);
        RunSummary r = result.runs().get(0);
        status = r.result().ok() ? "FINISHED" : "FAILED";
        error = r.result().error();
      } catch (RuntimeException e) {
        status = "FAILED";
        error = e.getClass().getSimpleName() + ": " + e.getMessage();
        System.out.println("failed: " + error);
        recordFailure(store, tracking, study, label, error);
      }
    }
    Properties p = new Properties();
    p.setProperty("status", status);
    p.setProperty("seconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9));
    if (error != null) {
      p.setProperty("error", error);
    }
    Path tmp = dir.resolve(RESULT + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, null);
    }
    Files.move(tmp, dir.resolve(RESULT), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Ends the run's record as FAILED with its error, creating the record if it never started. */
  private static void recordFailure(
      RunStore store, TrackingObserver tracking, Study study, String label, String error) {
    String id = null;
    for (RunStore.Run r : store.runs(Integer.MAX_VALUE)) {
      if (r.parentId() != null && r.name().equals(label)) {
        id = r.id();
      }
    }
    if (id == null) {
      id = store.startRun(store.experiment(study.name()), tracking.studyRunId(), label);
      store.params(id, Map.of("seed", String.valueOf(study.seeds().get(0))));
    }
    store.tags(id, Map.of("error", error));
    store.finish(id, "FAILED");
    if (tracking.studyRunId() != null) {
      store.finish(tracking.studyRunId(), "FAILED");
    }
  }

  private static TrainingListener haltAfterFirstEpoch() {
    return new TrainingListener() {
      @Override
      public void epochDone(EpochMetrics metrics) {
        System.out.println(
            "halting after the first epoch on purpose (" + DIE_AFTER_FIRST_EPOCH + ")");
        System.out.flush();
        Runtime.getRuntime().halt(137);
      }
    };
  }
}
