package org.taqtir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TeacherSummary;
import org.taqtir.core.study.StudyObserver;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;
import org.taqtir.tracking.RunStore;
import org.taqtir.tracking.TrackingObserver;

/**
 * {@code taqtir bench tracking}: (1) a store of N student runs × M metric points (10 keys, M/10
 * steps each) under one study run, bulk-loaded, then {@code taqtir runs compare} and {@code runs
 * list} over it timed end to end (target: compare ≤ 1 s for 1,000 × 10k); (2) the tracking overhead
 * on the quickstart pair: the time spent in the store observer and in writing the per-epoch
 * checkpoints, as a share of the training epochs' time (target ≤ 2 %).
 */
final class TrackingBench {

  private static final String[] KEYS = {
    "train/loss",
    "val/loss",
    "val/acc",
    "train/lr",
    "train/epoch_seconds",
    "train/samples_per_second",
    "kd/kl",
    "kd/ce",
    "grad/norm",
    "val/ece"
  };

  private final PluginRegistry registry;
  private final Path home;
  private final PrintWriter out;

  TrackingBench(PluginRegistry registry, Path home, PrintWriter out) {
    this.registry = registry;
    this.home = home;
    this.out = out;
  }

  int run(int runs, int points, int epochs, Map<String, String> overrides) throws IOException {
    Path tmp = Files.createTempDirectory("taqtir-bench-tracking");
    try {
      double[] store = storeBench(tmp.resolve("big.db"), runs, points);
      double[] overhead = epochs > 0 ? overheadBench(tmp, epochs, overrides) : null;
      out.println();
      out.println("## Tracking benchmark");
      out.printf(
          Locale.ROOT,
          "store: %d runs x %d metric points (%d keys x %d steps) = %,d points, %.0f MB; bulk load"
              + " %.1f s (%,.0f points/s)%n",
          runs,
          points,
          KEYS.length,
          points / KEYS.length,
          (long) runs * points,
          store[0],
          store[1],
          runs * (double) points / store[1]);
      out.printf(
          Locale.ROOT,
          "runs compare --study (all %d runs): first %.3f s, median of 5 %.3f s (target <= 1 s)%n",
          runs,
          store[2],
          store[3]);
      out.printf(Locale.ROOT, "runs list (20 newest): median of 5 %.3f s%n", store[4]);
      if (overhead != null) {
        out.printf(
            Locale.ROOT,
            "tracking overhead per epoch on the quickstart pair (%d runs x %d epochs): metric"
                + " writes %.3f s + checkpoints %.3f s = %.2f %% of %.1f s of training epochs"
                + " (target <= 2 %%); worst epoch %.2f %%%n",
            (int) overhead[4],
            epochs,
            overhead[0],
            overhead[1],
            100 * (overhead[0] + overhead[1]) / overhead[2],
            overhead[2],
            100 * overhead[3]);
        out.printf(
            Locale.ROOT,
            "once per study and run (provenance incl. git, run records, artifacts): %.3f s%n",
            overhead[5]);
      }
      return 0;
    } finally {
      deleteTree(tmp);
    }
  }

  /** Returns {MB, load seconds, first compare s, median compare s, median list s}. */
  private double[] storeBench(Path db, int runs, int points) {
    int steps = Math.max(1, points / KEYS.length);
    long[] stepIds = new long[steps];
    for (int i = 0; i < steps; i++) {
      stepIds[i] = i + 1;
    }
    String[] methods = {"labels-only", "hinton-kd", "dkd", "fitnets", "crd"};
    SplittableRandom rnd = new SplittableRandom(7);
    long start = System.nanoTime();
    try (RunStore s = RunStore.open(db)) {
      long e = s.experiment("bench-tracking");
      String study = s.startRun(e, null, "bench-tracking");
      s.tags(study, Map.of("bench", "true"));
      for (int r = 0; r < runs; r++) {
        String method = methods[r % methods.length];
        int seed = r / methods.length + 1;
        String id = s.startRun(e, study, "mlp/" + method + "/seed" + seed);
        s.params(id, Map.of("student", "mlp", "method", method, "seed", String.valueOf(seed)));
        Map<String, double[]> values = new LinkedHashMap<>();
        for (String k : KEYS) {
          double[] v = new double[steps];
          for (int i = 0; i < steps; i++) {
            v[i] = rnd.nextDouble();
          }
          values.put(k, v);
        }
        s.metricHistories(id, stepIds, values, System.currentTimeMillis());
        s.metrics(
            id,
            Map.of(
                "best/val_acc", 0.8 + 0.01 * rnd.nextDouble(),
                "test/acc", 0.8 + 0.01 * rnd.nextDouble(),
                "wall_seconds", 10.0),
            steps);
        s.finish(id, "FINISHED");
        if ((r + 1) % 100 == 0) {
          out.printf(Locale.ROOT, "bench: %d/%d runs loaded%n", r + 1, runs);
          out.flush();
        }
      }
      s.finish(study, "FINISHED");
    }
    double load = (System.nanoTime() - start) / 1e9;
    double mb;
    try {
      mb = Files.size(db) / 1048576.0;
    } catch (IOException ex) {
      mb = Double.NaN;
    }
    double[] compare = new double[5];
    double[] list = new double[5];
    for (int i = 0; i < 5; i++) {
      compare[i] =
          timeCli("runs", "compare", "--store", db.toString(), "--study", "bench-tracking");
      list[i] = timeCli("runs", "list", "--store", db.toString());
    }
    double first = compare[0];
    return new double[] {mb, load, first, median(compare), median(list)};
  }

  private static double timeCli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter err = new StringWriter();
    long t = System.nanoTime();
    int code = Main.execute(args, new PrintWriter(o), new PrintWriter(err));
    double s = (System.nanoTime() - t) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed: " + err);
    }
    return s;
  }

  /**
   * Returns {store seconds, checkpoint seconds, epoch seconds, worst epoch share, runs}: the
   * quickstart pair with the store observer and checkpoints, each timed where it runs.
   */
  private double[] overheadBench(Path tmp, int epochs, Map<String, String> overrides) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("training.epochs", String.valueOf(epochs));
    o.put("seeds", "[1]");
    o.put("evaluation.loss_statement", "false");
    o.put("output.plots", "false");
    o.putAll(overrides);
    Study study =
        new StudyParser(registry).parse(home.resolve("experiments/quickstart/study.yaml"), o);
    double[] storeSecs = {0};
    double[] epochStoreSecs = {0};
    double[] checkpointSecs = {0};
    Map<String, List<double[]>> perEpoch = new LinkedHashMap<>();
    try (RunStore store = RunStore.open(tmp.resolve("overhead.db"))) {
      TrackingObserver tracking = new TrackingObserver(store, home, registry);
      StudyObserver timed =
          new StudyObserver() {
            private double time(Runnable r) {
              long t = System.nanoTime();
              r.run();
              double s = (System.nanoTime() - t) / 1e9;
              storeSecs[0] += s;
              return s;
            }

            @Override
            public void studyStarted(Study st, Path dir, String hash) {
              time(() -> tracking.studyStarted(st, dir, hash));
            }

            @Override
            public void teacherReady(TeacherSummary t) {
              time(() -> tracking.teacherReady(t));
            }

            @Override
            public void runStarted(org.taqtir.core.run.RunStart run) {
              time(() -> tracking.runStarted(run));
            }

            @Override
            public void epochDone(String label, EpochMetrics m) {
              double s = time(() -> tracking.epochDone(label, m));
              epochStoreSecs[0] += s;
              perEpoch
                  .computeIfAbsent(label, k -> new ArrayList<>())
                  .add(new double[] {m.seconds(), s, 0});
            }

            @Override
            public void runFinished(String label, RunSummary run) {
              time(() -> tracking.runFinished(label, run));
            }

            @Override
            public void studyFinished(StudyResult result) {
              time(() -> tracking.studyFinished(result));
            }
          };
      StudyRunner runner =
          new StudyRunner(
              registry,
              label ->
                  new TrainingListener() {
                    private final TrainingListener progress = new ProgressListener(label, out);

                    @Override
                    public void epochStarted(int epoch, int steps) {
                      progress.epochStarted(epoch, steps);
                    }

                    @Override
                    public void stepDone(int epoch, int step, double loss, double sps) {
                      progress.stepDone(epoch, step, loss, sps);
                    }

                    @Override
                    public void epochDone(EpochMetrics metrics) {
                      progress.epochDone(metrics);
                    }

                    @Override
                    public void checkpointSaved(int epoch, Path file, double seconds) {
                      checkpointSecs[0] += seconds;
                      List<double[]> rows = perEpoch.get(label);
                      if (rows != null && !rows.isEmpty()) {
                        rows.get(rows.size() - 1)[2] = seconds;
                      }
                    }
                  },
              line -> {
                out.println(line);
                out.flush();
              });
      runner.observer(timed).outputDir(tmp.resolve("study"));
      runner.run(study);
    }
    double epochSecs = 0;
    double worst = 0;
    int runs = perEpoch.size();
    for (List<double[]> rows : perEpoch.values()) {
      for (double[] r : rows) {
        epochSecs += r[0];
        worst = Math.max(worst, (r[1] + r[2]) / r[0]);
      }
    }
    return new double[] {
      epochStoreSecs[0], checkpointSecs[0], epochSecs, worst, runs, storeSecs[0] - epochStoreSecs[0]
    };
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** {@code taqtir bench tracking}. */
  @picocli.CommandLine.Command(
      name = "tracking",
      description =
          "Time the run store (runs compare over --runs runs x --points metric points) and the tracking overhead as a share of the quickstart pair's epoch time.")
  static final class Command implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(
        names = "--runs",
        description = "runs in the store (default ${DEFAULT-VALUE})")
    int runs = 1000;

    @picocli.CommandLine.Option(
        names = "--points",
        description = "metric points per run (default ${DEFAULT-VALUE})")
    int points = 10_000;

    @picocli.CommandLine.Option(
        names = "--epochs",
        description = "quickstart epochs for the overhead (default ${DEFAULT-VALUE})")
    int epochs = 3;

    @picocli.CommandLine.Option(
        names = "-P",
        paramLabel = "PATH=VALUE",
        description = "override a study field")
    java.util.List<String> overrides = java.util.List.of();

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path home = Path.of(System.getProperty("taqtir.home", "."));
      PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
      return new TrackingBench(registry, home, out)
          .run(runs, points, epochs, RunCommand.parseOverrides(overrides));
    }
  }
}
