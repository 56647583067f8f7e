package org.taqtir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.run.TrainResult;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taqtir bench}: the foundation's performance and repeatability figures on the reference
 * workload ({@code experiments/bench-foundation/study.yaml}): KD epoch time with cached teacher
 * outputs and with the teacher run per batch (median over epochs after the first, which is reported
 * separately as warm-up), peak RSS, and N KD runs with one seed compared bitwise, in this JVM and
 * in a child JVM forced into frequent garbage collection ({@code -Xmn4m}).
 */
@Command(
    name = "bench",
    description = "Print the foundation's timing, memory and repeatability figures.")
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--runs", description = "repeated KD runs per JVM (default ${DEFAULT-VALUE})")
  int runs = 10;

  @Option(
      names = "--repeat-epochs",
      description = "epochs per repeated run (default ${DEFAULT-VALUE})")
  int repeatEpochs = 2;

  @Option(names = "--repeat-only", description = "only do the repeated runs and print their bits")
  boolean repeatOnly;

  @Option(
      names = "--strategies",
      description =
          "instead: time one epoch of every strategy (with labels-only) relative to hinton-kd on"
              + " the quickstart pair, and of the feature-map strategies (at, nst) relative to"
              + " hinton-kd on a CNN pair")
  boolean strategies;

  @Option(
      names = "--pair",
      description =
          "with --strategies: time on the mlp pair, the cnn pair (at, nst against hinton-kd) or"
              + " both (default ${DEFAULT-VALUE})")
  String pair = "both";

  @Option(
      names = "--teachers",
      description =
          "instead: teacher-cache build time for the 60k training file with the quickstart MLP"
              + " teacher, and the onnx teacher's throughput (samples/s)")
  boolean teachers;

  @Option(
      names = "--tracking",
      description =
          "instead: run-store speed (runs compare over --tracking-runs runs x --tracking-points"
              + " metric points) and the tracking overhead (store writes and checkpoints) as a share"
              + " of the quickstart pair's epoch time")
  boolean tracking;

  @Option(names = "--tracking-runs", description = "runs in the store (default ${DEFAULT-VALUE})")
  int trackingRuns = 1000;

  @Option(
      names = "--tracking-points",
      description = "metric points per run (default ${DEFAULT-VALUE})")
  int trackingPoints = 10_000;

  @Option(
      names = "--tracking-epochs",
      description = "quickstart epochs for the overhead (default ${DEFAULT-VALUE})")
  int trackingEpochs = 3;

  @Option(
      names = "--data",
      description =
          "Fashion-MNIST directory for --teachers and the CNN pair of --strategies (default"
              + " ${DEFAULT-VALUE})")
  Path data = Path.of("/usr/share/datasets/fashion-mnist");

  @Option(names = "-P", paramLabel = "PATH=VALUE", description = "override a bench study field")
  List<String> overrides = List.of();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path home = Path.of(System.getProperty("taqtir.home", "."));
    Path file = home.resolve("experiments/bench-foundation/study.yaml");
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    StudyParser parser = new StudyParser(registry);
    Map<String, String> base = RunCommand.parseOverrides(overrides);

    if (strategies) {
      return strategyTimes(registry, home, out);
    }
    if (tracking) {
      return new TrackingBench(registry, home, out)
          .run(trackingRuns, trackingPoints, trackingEpochs, base);
    }
    if (teachers) {
      return new TeacherBench(registry, home, out).run(data, 3);
    }
    if (repeatOnly) {
      for (String bits : repeat(parser, registry, file, base, out)) {
        out.println("BITS " + bits);
      }
      out.println(String.format(Locale.ROOT, "PEAK_RSS_MB %.0f", peakRssMb()));
      return 0;
    }

    resetPeakRss();
    StudyResult cached =
        runStudy(parser, registry, file, with(base, "teacher.outputs", "cached"), out);
    double rssCached = peakRssMb();
    resetPeakRss();
    StudyResult perBatch =
        runStudy(parser, registry, file, with(base, "teacher.outputs", "per-batch"), out);
    double rssPerBatch = peakRssMb();
    List<String> inProcess = repeat(parser, registry, file, base, out);
    List<String> child = childRepeat(home, out);

    out.println();
    out.println("## Foundation benchmark (" + cached.study().description() + ")");
    out.println(
        String.format(
            Locale.ROOT,
            "threads: %s, cores: %d, JVM: %s",
            System.getProperty("ai.djl.pytorch.num_threads", "default"),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.vm.version")));
    if (cached.teacher() != null) {
      out.println(
          String.format(
              Locale.ROOT,
              "teacher: %s, test acc %.4f; outputs cache %s in %.2f s",
              cached.teacher().description(),
              cached.teacher().testAcc(),
              cached.teacher().cacheHit() ? "read" : "computed",
              cached.teacher().cacheSeconds()));
    }
    printEpochs(out, "KD, cached teacher outputs", cached.runs().get(0).result(), 0.8);
    printEpochs(out, "KD, teacher run per batch ", perBatch.runs().get(0).result(), 3.2);
    out.println(
        String.format(
            Locale.ROOT,
            "peak RSS: %.0f MB during the cached study%s, %.0f MB during the per-batch study"
                + " (target <= 1000)",
            rssCached,
            cached.teacher() != null && cached.teacher().trainedNow()
                ? " (teacher training included)"
                : "",
            rssPerBatch));
    report(out, "repeated KD runs, this JVM", inProcess);
    report(out, "repeated KD runs, child JVM -Xmn4m", child);
    boolean same =
        !inProcess.isEmpty()
            && inProcess.equals(child.subList(0, Math.min(child.size(), inProcess.size())))
            && child.size() == inProcess.size();
    out.println("this JVM and the -Xmn4m JVM agree bitwise: " + same);
    return same ? 0 : 1;
  }

  /**
   * Trains the quickstart student with each strategy (plus labels-only) for two epochs on cached
   * teacher outputs and prints the second epoch's time relative to hinton-kd's. Strategies that
   * read {@code (C, H, W)} feature maps (at, nst) cannot run on the quickstart's MLPs: they are
   * timed on a CNN pair instead, relative to hinton-kd on that same pair.
   */
  private int strategyTimes(PluginRegistry registry, Path home, PrintWriter out)
      throws IOException {
    if (!List.of("mlp", "cnn", "both").contains(pair)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--pair: '" + pair + "' is not one of mlp, cnn, both");
    }
    StringBuilder methods = new StringBuilder();
    List<String> spatial = new ArrayList<>();
    for (var p : registry.strategies().all()) {
      if (p.id().equals("labels-only")) {
        continue;
      }
      if (p.params()
          .find("student_layer")
          .map(d -> String.valueOf(d.defaultValue()).startsWith("block"))
          .orElse(false)) {
        spatial.add(p.id());
        continue;
      }
      String params =
          p.params().find("teacher_layer").isPresent() ? ", params: {teacher_layer: hidden2}" : "";
      methods.append(method(p.id(), params));
    }
    String yaml =
        Files.readString(home.resolve("experiments/quickstart/study.yaml"))
            .replaceAll("(?s)strategies:.*?training:", "strategies:\n" + methods + "training:")
            .replace("seeds: [1, 2]", "seeds: [1]")
            .replaceAll("epochs: 10", "epochs: 2")
            .replace("plots: true", "plots: false")
            .replace("name: quickstart", "name: bench-strategies");
    Map<String, String> o = RunCommand.parseOverrides(overrides);
    Map<String, Double> cpu = new LinkedHashMap<>();
    StudyResult mlp =
        pair.equals("cnn")
            ? null
            : benchStudy(registry, home, "bench-strategies", yaml, o, out, cpu);
    StudyResult cnn = null;
    if (!spatial.isEmpty() && !pair.equals("mlp")) {
      StringBuilder cnnMethods = new StringBuilder(method("hinton-kd", ""));
      spatial.forEach(id -> cnnMethods.append(method(id, "")));
      cnn = benchStudy(registry, home, "bench-strategies-cnn", cnnStudy(cnnMethods), o, out, cpu);
    }
    out.println();
    out.println(
        "CPU s: process CPU seconds of epoch 2 (libtorch's threads included), less sensitive"
            + " than wall time to other processes on a shared machine");
    if (mlp != null) {
      out.println();
      out.println("## Strategy step time (epoch 2 of the quickstart pair, cached teacher outputs)");
      out.println(mlp.study().description());
      printTimes(out, mlp, cpu);
    }
    if (cnn != null) {
      out.println();
      out.println(
          "## Strategies on (C, H, W) maps: epoch 2 of a CNN pair, cached teacher outputs and taps");
      out.println(cnn.study().description());
      printTimes(out, cnn, cpu);
    }
    return 0;
  }

  /** A method of labels-only plus one strategy, as a study's {@code strategies:} entry. */
  private static String method(String id, String params) {
    return "  - name: " + id + "\n    terms: [{id: labels-only}, {id: " + id + params + "}]\n";
  }

  /**
   * The CNN pair for the strategies on feature maps: a LeNet-style {@code cnn} teacher (the
   * plugin's default 16-32 channels, 5×5 kernels, 128 hidden; trained once for 3 epochs and reused
   * from {@code runs/teachers/} afterwards) distilled into a cnn with a quarter of the channels.
   * Both have two blocks, so their {@code block2} maps are both 7×7 (at and nst compare maps of
   * equal size; channel counts may differ).
   */
  private String cnnStudy(CharSequence methods) {
    return """
        name: bench-strategies-cnn
        description: "cnn c16-c32-128 k5 teacher -> cnn c4-c8-32 k5 student; at, nst vs hinton-kd"
        data:
          source: fashion-mnist
          dir: %s
          validation: 5000
          split_seed: 42
        teacher:
          train:
            architecture: {id: cnn, params: {channels: [16, 32], kernel: 5, hidden: [128]}}
            training: {epochs: 3}
          outputs: cached
        students:
          - name: cnn-small
            architecture: {id: cnn, params: {channels: [4, 8], kernel: 5, hidden: [32]}}
        strategies:
        %straining:
          epochs: 2
          batch_size: 128
          optimizer: {type: sgd, lr: 0.05, momentum: 0.9}
          schedule: {type: cosine}
        seeds: [1]
        evaluation:
          test: true
        output:
          dir: runs
          plots: false
        """
        .formatted(data.toAbsolutePath(), methods);
  }

  /**
   * Writes the study next to the quickstart's, runs it and removes the file; records the process
   * CPU seconds of each run's last epoch under the run's label.
   */
  private StudyResult benchStudy(
      PluginRegistry registry,
      Path home,
      String name,
      String yaml,
      Map<String, String> o,
      PrintWriter out,
      Map<String, Double> cpu)
      throws IOException {
    Path file = home.resolve("experiments/quickstart/." + name + ".yaml");
    Files.writeString(file, yaml);
    try {
      Study study = new StudyParser(registry).parse(file, o);
      out.println("bench: teacher outputs " + study.teacher().outputs().key());
      out.flush();
      return new StudyRunner(
              registry,
              label -> new CpuTimer(new ProgressListener(label, out), s -> cpu.put(label, s)),
              line -> {
                out.println(line);
                out.flush();
              })
          .run(study);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Passes events on and reports each epoch's process CPU seconds (start to validation end). */
  private static final class CpuTimer implements TrainingListener {
    private final TrainingListener next;
    private final java.util.function.DoubleConsumer epochCpu;
    private long start;

    CpuTimer(TrainingListener next, java.util.function.DoubleConsumer epochCpu) {
      this.next = next;
      this.epochCpu = epochCpu;
    }

    @Override
    public void epochStarted(int epoch, int steps) {
      start = cpuNanos();
      next.epochStarted(epoch, steps);
    }

    @Override
    public void stepDone(int epoch, int step, double loss, double samplesPerSecond) {
      next.stepDone(epoch, step, loss, samplesPerSecond);
    }

    @Override
    public void epochDone(EpochMetrics metrics) {
      epochCpu.accept((cpuNanos() - start) / 1e9);
      next.epochDone(metrics);
    }

    @Override
    public void checkpointSaved(int epoch, Path file, double seconds) {
      next.checkpointSaved(epoch, file, seconds);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Each method's last-epoch wall and CPU time, relative to the study's hinton-kd method. */
  private static void printTimes(PrintWriter out, StudyResult r, Map<String, Double> cpu) {
    double kd = Double.NaN;
    double kdCpu = Double.NaN;
    for (RunSummary run : r.runs()) {
      if (run.method().equals("hinton-kd")) {
        kd = lastEpochSeconds(run);
        kdCpu = cpu.getOrDefault(label(run), Double.NaN);
      }
    }
    out.println("| strategy | epoch s | × hinton-kd | CPU s | CPU × hinton-kd | test acc % |");
    out.println("|---|---:|---:|---:|---:|---:|");
    for (RunSummary run : r.runs()) {
      double secs = lastEpochSeconds(run);
      double cpuSecs = cpu.getOrDefault(label(run), Double.NaN);
      out.printf(
          Locale.ROOT,
          "| %s | %.3f | %.2f | %.2f | %.2f | %.2f |%n",
          run.method(),
          secs,
          secs / kd,
          cpuSecs,
          cpuSecs / kdCpu,
          100 * run.result().testAcc());
    }
  }

  /** The run's label as the study runner names it (student/method/seedN). */
  private static String label(RunSummary run) {
    return run.student() + "/" + run.method() + "/seed" + run.seed();
  }

  private static double lastEpochSeconds(RunSummary run) {
    return run.result().history().get(run.result().history().size() - 1).seconds();
  }

  private List<String> repeat(
      StudyParser parser,
      PluginRegistry registry,
      Path file,
      Map<String, String> base,
      PrintWriter out) {
    Map<String, String> o = new LinkedHashMap<>(base);
    o.put("training.epochs", String.valueOf(repeatEpochs));
    o.put("teacher.outputs", "cached");
    Study study = parser.parse(file, o);
    List<String> bits = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      StudyResult r =
          new StudyRunner(registry, label -> TrainingListener.NONE, line -> {}).run(study);
      RunSummary s = r.runs().get(0);
      bits.add(s.result().bits());
      out.printf(Locale.ROOT, "  repeat %d: test acc %.4f%n", i + 1, s.result().testAcc());
      out.flush();
    }
    return bits;
  }

  private List<String> childRepeat(Path home, PrintWriter out)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmn4m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    for (String p :
        List.of(
            "ai.djl.offline",
            "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads",
            "taqtir.home")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("bench");
    cmd.add("--repeat-only");
    cmd.add("--runs=" + runs);
    cmd.add("--repeat-epochs=" + repeatEpochs);
    for (String o : overrides) {
      cmd.add("-P");
      cmd.add(o);
    }
    Path log = Files.createTempFile("taqtir-bench", ".log");
    out.println("child JVM (-Xmn4m): " + runs + " repeated runs...");
    out.flush();
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(30, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("child JVM did not finish; log: " + log);
    }
    List<String> lines = Files.readAllLines(log);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("child JVM failed (" + p.exitValue() + "); log: " + log);
    }
    lines.stream().filter(l -> l.startsWith("PEAK_RSS_MB")).forEach(l -> out.println("child " + l));
    Files.deleteIfExists(log);
    return lines.stream().filter(l -> l.startsWith("BITS ")).map(l -> l.substring(5)).toList();
  }

  private static void report(PrintWriter out, String title, List<String> bits) {
    long distinct = bits.stream().distinct().count();
    boolean nan = bits.stream().anyMatch(b -> b.contains("NaN"));
    out.printf(
        "%s: %d runs, %d distinct metric sets, NaN: %s%n", title, bits.size(), distinct, nan);
  }

  private StudyResult runStudy(
      StudyParser parser,
      PluginRegistry registry,
      Path file,
      Map<String, String> o,
      PrintWriter out) {
    Study study = parser.parse(file, o);
    out.println("bench: teacher outputs " + study.teacher().outputs().key());
    out.flush();
    return new StudyRunner(
            registry,
            label -> new ProgressListener(label, out),
            line -> {
              out.println(line);
              out.flush();
            })
        .run(study);
  }

  private static void printEpochs(PrintWriter out, String title, TrainResult r, double target) {
    double[] secs = r.history().stream().mapToDouble(EpochMetrics::seconds).toArray();
    double first = secs.length > 0 ? secs[0] : Double.NaN;
    double[] rest = secs.length > 1 ? Arrays.copyOfRange(secs, 1, secs.length) : secs;
    Arrays.sort(rest);
    double median =
        rest.length == 0
            ? Double.NaN
            : rest.length % 2 == 1
                ? rest[rest.length / 2]
                : (rest[rest.length / 2 - 1] + rest[rest.length / 2]) / 2;
    out.println(
        String.format(
            Locale.ROOT,
            "%s: median epoch %.3f s over epochs 2..%d (target <= %.1f s), first epoch %.3f s,"
                + " test acc %.4f",
            title,
            median,
            secs.length,
            target,
            first,
            r.testAcc()));
  }

  /** Resets the kernel's peak-RSS counter (VmHWM) of this process, where Linux allows it. */
  private static void resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // Not Linux or not permitted: the figure then covers the process so far, which is an upper
      // bound; the output says peak RSS either way.
    }
  }

  private static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  private static Map<String, String> with(Map<String, String> base, String k, String v) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.put(k, v);
    return m;
  }
}
