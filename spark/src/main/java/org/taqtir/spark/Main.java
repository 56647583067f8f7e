package org.taqtir.spark;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.tracking.MlflowSink;
import org.taqtir.tracking.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taqtir-spark}: Taqtir's distributed jobs. Runs in {@code local[*,2]} (all cores, two
 * attempts per task) unless {@code --master} or {@code spark-submit} says otherwise.
 */
@Command(
    name = "taqtir-spark",
    mixinStandardHelpOptions = true,
    description = "Taqtir on Apache Spark: teacher-output precompute and study sweeps.",
    subcommands = {
      Main.Precompute.class,
      Main.Sweep.class,
    })
public final class Main implements Callable<Integer> {

  /** The master when neither --master nor spark-submit (spark.master) names one. */
  static final String DEFAULT_MASTER = "local[*,2]";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line in-process (tests).
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main()).setOut(out).setErr(err);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("taqtir-spark: " + e.getMessage());
          if (Boolean.getBoolean("taqtir.debug")) {
            e.printStackTrace(line.getErr());
          }
          // as taqtir: 2 for bad input (a study file, a field, an option), 1 for a failure
          return e instanceof IllegalArgumentException ? 2 : 1;
        });
    return cl.execute(args);
  }

  /** Options every job takes. */
  static class JobOptions {
    @Parameters(index = "0", paramLabel = "STUDY", description = "the study file (study.yaml)")
    Path study;

    @Option(
        names = "--master",
        paramLabel = "URL",
        description =
            "Spark master, e.g. local[2], local[2,2] (2 attempts per task), spark://host:7077;"
                + " default: spark.master as spark-submit sets it, else "
                + DEFAULT_MASTER)
    String master;

    @Option(
        names = "-P",
        paramLabel = "FIELD=VALUE",
        description = "override a study field, as in taqtir run (-P training.epochs=2)")
    Map<String, String> overrides = new java.util.LinkedHashMap<>();

    @Option(
        names = "--partitions",
        paramLabel = "N",
        description = "partitions of the teacher pass (default: Spark's default parallelism)")
    Integer partitions;

    Study parse(PluginRegistry registry) {
      if (!Files.isRegularFile(study)) {
        throw new IllegalArgumentException(study + ": no such study file");
      }
      return new StudyParser(registry).parse(study, overrides);
    }

    JavaSparkContext context(String job) {
      SparkConf conf = new SparkConf().setAppName("taqtir-spark " + job + " " + study);
      String m = master != null ? master : conf.get("spark.master", DEFAULT_MASTER);
      conf.setMaster(m);
      if (m.startsWith("local")) {
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.driver.host", "127.0.0.1");
      }
      return new JavaSparkContext(conf);
    }

    int partitions(JavaSparkContext sc) {
      return partitions != null ? partitions : sc.defaultParallelism();
    }
  }

  @Command(
      name = "precompute",
      mixinStandardHelpOptions = true,
      description =
          "Compute the study's teacher outputs on Spark into its teacher-output cache; a later"
              + " taqtir run reads them instead of running the teacher.")
  static final class Precompute implements Callable<Integer> {
    @CommandLine.Mixin JobOptions job = new JobOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PluginRegistry registry = PluginRegistry.load();
      Study study = job.parse(registry);
      try (JavaSparkContext sc = job.context("precompute")) {
        var written =
            TeacherPrecompute.run(
                sc, StudyData.driver(registry, study), job.partitions(sc), out::println);
        out.println(
            "precompute: "
                + written.size()
                + " cache files in "
                + study.output().dir().resolve("cache"));
      }
      return 0;
    }
  }

  @Command(
      name = "sweep",
      mixinStandardHelpOptions = true,
      description =
          "Run every (student, method, seed) of the study as a Spark task and record each run"
              + " exactly once; runs already finished in the store are skipped.")
  static final class Sweep implements Callable<Integer> {
    @CommandLine.Mixin JobOptions job = new JobOptions();
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--store",
        paramLabel = "FILE",
        description = "run store to record into (default: <output.dir>/taqtir.db)")
    Path store;

    @Option(
        names = "--mlflow",
        paramLabel = "URI",
        description =
            "also record into this MLflow tracking server (default: $"
                + MlflowSink.ENV
                + " when it is an http(s) URL)")
    String mlflow;

    @Option(
        names = "--bench",
        description =
            "time the sweep, then the same runs one after another (each with every core), each"
                + " into a new store under <output.dir>/<study>/bench-<time>; print both")
    boolean bench;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PluginRegistry registry = PluginRegistry.load();
      Study study = job.parse(registry);
      StudyData loaded = StudyData.driver(registry, study);
      try (JavaSparkContext sc = job.context("sweep")) {
        if (bench) {
          StudySweep.prepare(sc, loaded, job.partitions(sc), out::println);
          return bench(sc, loaded, out);
        }
        Path file = store != null ? store : StudySweep.defaultStore(study);
        try (RunStore s = RunStore.open(file)) {
          mirror(s, out);
          StudySweep.Summary summary =
              StudySweep.run(
                  sc,
                  loaded,
                  s,
                  StudySweep.root(loaded),
                  out::println,
                  () -> StudySweep.prepare(sc, loaded, job.partitions(sc), out::println));
          print(summary, out);
          return summary.count("FAILED") == 0 ? 0 : 1;
        }
      }
    }

    private void mirror(RunStore s, PrintWriter out) {
      String uri = mlflow != null ? mlflow : System.getenv(MlflowSink.ENV);
      if (uri == null || uri.isBlank()) {
        return;
      }
      Consumer<String> warn = out::println;
      MlflowSink.forUri(uri, warn)
          .ifPresent(
              sink -> {
                s.mirror(sink, warn);
                out.println("sweep: also recording into " + sink.name());
              });
    }

    private int bench(JavaSparkContext sc, StudyData loaded, PrintWriter out) throws Exception {
      Path dir =
          loaded
              .study
              .output()
              .dir()
              .resolve(loaded.study.name())
              .resolve(
                  "bench-"
                      + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      String loadBefore = loadAverage();
      StudySweep.Summary spark;
      try (RunStore s = RunStore.open(dir.resolve("spark.db"))) {
        spark = StudySweep.run(sc, loaded, s, dir.resolve("spark"), out::println);
      }
      print(spark, out);
      String loadBetween = loadAverage();
      StudySweep.Summary sequential;
      try (RunStore s = RunStore.open(dir.resolve("sequential.db"))) {
        sequential = StudySweep.runSequentially(loaded, s, dir.resolve("sequential"), out::println);
      }
      print(sequential, out);
      out.println(
          String.format(
              Locale.ROOT,
              "bench: %d runs, %d cores; Spark %s (%d run processes at a time, %d PyTorch"
                  + " threads each): %.1f s; one after another (%d threads): %.1f s; speed-up"
                  + " %.2fx; 1-min load average %s before, %s between, %s after",
              spark.outcomes().size(),
              Runtime.getRuntime().availableProcessors(),
              sc.master(),
              sc.defaultParallelism(),
              StudySweep.runThreads(sc),
              spark.seconds(),
              Runtime.getRuntime().availableProcessors(),
              sequential.seconds(),
              sequential.seconds() / spark.seconds(),
              loadBefore,
              loadBetween,
              loadAverage()));
      return spark.count("FAILED") + sequential.count("FAILED") == 0 ? 0 : 1;
    }
  }

  static void print(StudySweep.Summary s, PrintWriter out) {
    out.println(
        String.format(
            Locale.ROOT, "%-40s %-9s %-9s %8s %8s", "run", "status", "how", "attempts", "seconds"));
    for (StudySweep.Outcome o : s.outcomes()) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-40s %-9s %-9s %8d %8.1f%s",
              o.label(),
              o.status(),
              o.how(),
              o.attempts(),
              o.seconds(),
              o.error() == null ? "" : "  " + o.error()));
    }
    out.println(
        String.format(
            Locale.ROOT,
            "sweep: %d runs, %d finished, %d failed, in %s (sweep run %s); runs job %.1f s",
            s.outcomes().size(),
            s.count("FINISHED"),
            s.count("FAILED"),
            s.store(),
            s.sweepRunId().substring(0, 8),
            s.seconds()));
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
