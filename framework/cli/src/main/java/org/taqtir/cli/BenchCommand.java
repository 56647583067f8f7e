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
 * in a child JVM forced into frequent garbage collection ({@code -Xmn4m}). {@code bench
 * strategies}, {@code bench teachers} and {@code bench tracking} are its subcommands.
 */
@Command(
    name = "bench",
    description =
        "Print the foundation's timing, memory and repeatability figures; the subcommands time"
            + " the strategies, the teachers and the tracking.",
    subcommands = {StrategiesBench.class, TeacherBench.Command.class, TrackingBench.Command.class})
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
