package org.taqtir.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.taqtir.api.Plugin;
import org.taqtir.core.config.Study;
import org.taqtir.core.parse.StudyParser;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.study.StudyResult;
import org.taqtir.core.study.StudyRunner;
import org.taqtir.core.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taqtir bench strategies}: one epoch of every strategy (with labels-only) relative to
 * hinton-kd on the quickstart pair, of the feature-map strategies (at, nst) relative to hinton-kd
 * on a CNN pair, and of every language-model strategy (with next-token) relative to forward-kl on a
 * character-level GPT pair trained on Austen; wall and process CPU seconds.
 */
@Command(
    name = "strategies",
    description =
        "Time one epoch of every strategy (with labels-only) relative to hinton-kd on the"
            + " quickstart pair, of the feature-map strategies (at, nst) on a CNN pair, and of"
            + " the language-model strategies relative to forward-kl on a GPT pair.")
final class StrategiesBench implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--pair",
      description =
          "time on the mlp pair, the cnn pair (at, nst against hinton-kd), both of them, the lm"
              + " pair (language-model strategies against forward-kl; needs bin/corpora austen)"
              + " or all (default ${DEFAULT-VALUE})")
  String pair = "both";

  @Option(
      names = "--data",
      description = "Fashion-MNIST directory of the CNN pair (default ${DEFAULT-VALUE})")
  Path data = Path.of("/usr/share/datasets/fashion-mnist");

  @Option(names = "-P", paramLabel = "PATH=VALUE", description = "override a bench study field")
  List<String> overrides = List.of();

  /**
   * Trains the quickstart student with each strategy (plus labels-only) for two epochs on cached
   * teacher outputs and prints the second epoch's time relative to hinton-kd's. Strategies that
   * read {@code (C, H, W)} feature maps (at, nst) cannot run on the quickstart's MLPs: they are
   * timed on a CNN pair instead, relative to hinton-kd on that same pair.
   */
  /** The language-modelling task's id. */
  private static final String LM = "language-modelling";

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path home = Path.of(System.getProperty("taqtir.home", "."));
    PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
    if (!List.of("mlp", "cnn", "both", "lm", "all").contains(pair)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--pair: '" + pair + "' is not one of mlp, cnn, both, lm, all");
    }
    boolean images = !pair.equals("lm");
    StringBuilder methods = new StringBuilder();
    StringBuilder lmMethods = new StringBuilder();
    List<String> spatial = new ArrayList<>();
    for (var p : registry.strategies().all()) {
      if (p.tasks().contains(LM)) {
        if (!p.id().equals("next-token")) {
          lmMethods.append(lmMethod(p.id()));
        }
        continue;
      }
      if (p.id().equals("labels-only") || !p.tasks().contains(Plugin.CLASSIFICATION)) {
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
        !images || pair.equals("cnn")
            ? null
            : benchStudy(registry, home, "bench-strategies", yaml, o, out, cpu);
    StudyResult cnn = null;
    if (!spatial.isEmpty() && images && !pair.equals("mlp")) {
      StringBuilder cnnMethods = new StringBuilder(method("hinton-kd", ""));
      spatial.forEach(id -> cnnMethods.append(method(id, "")));
      cnn = benchStudy(registry, home, "bench-strategies-cnn", cnnStudy(cnnMethods), o, out, cpu);
    }
    StudyResult lm = null;
    if (lmMethods.length() > 0 && (pair.equals("lm") || pair.equals("all"))) {
      lm = benchStudy(registry, home, "bench-strategies-lm", lmStudy(lmMethods), o, out, cpu);
    }
    out.println();
    out.println(
        "CPU s: process CPU seconds of epoch 2 (libtorch's threads included), less sensitive"
            + " than wall time to other processes on a shared machine");
    if (mlp != null) {
      out.println();
      out.println("## Strategy step time (epoch 2 of the quickstart pair, cached teacher outputs)");
      out.println(mlp.study().description());
      printTimes(out, mlp, cpu, "hinton-kd");
    }
    if (cnn != null) {
      out.println();
      out.println(
          "## Strategies on (C, H, W) maps: epoch 2 of a CNN pair, cached teacher outputs and taps");
      out.println(cnn.study().description());
      printTimes(out, cnn, cpu, "hinton-kd");
    }
    if (lm != null) {
      out.println();
      out.println(
          "## Language-model strategies: epoch 2 of a GPT pair on Austen, cached teacher outputs"
              + " (on-policy: the teacher live, generation inside the epoch; sequence-kd:"
              + " generation before training)");
      out.println(lm.study().description());
      printTimes(out, lm, cpu, "forward-kl");
    }
    return 0;
  }

  /** A method of labels-only plus one strategy, as a study's {@code strategies:} entry. */
  private static String method(String id, String params) {
    return "  - name: " + id + "\n    terms: [{id: labels-only}, {id: " + id + params + "}]\n";
  }

  /** A method of next-token plus one language-model strategy. */
  private static String lmMethod(String id) {
    String params =
        id.equals("hidden-state")
            ? ", params: {student_layer: hidden1, teacher_layer: hidden2}"
            : "";
    return "  - name: " + id + "\n    terms: [{id: next-token}, {id: " + id + params + "}]\n";
  }

  /**
   * The language-model pair: a character-level GPT teacher (2 layers, width 96; trained once for 2
   * epochs on 200,000 characters of Austen and reused from {@code runs/teachers/}) and a GPT
   * student of 1 layer, width 32, windows of 64 characters.
   */
  private static String lmStudy(CharSequence methods) {
    return """
        name: bench-strategies-lm
        description: "gpt 2L d96 teacher -> gpt 1L d32 student, char-level Austen, 200k chars"
        task: language-modelling
        data: {source: text, corpus: austen, held_out: [persuasion], every: 20, window: 64,
               train_chars: 200000, tokenizer: {id: char}}
        teacher:
          train:
            architecture: {id: gpt, params: {layers: 2, width: 96, heads: 4}}
            training: {epochs: 2, batch_size: 16, optimizer: {type: adam, lr: 0.002}}
          outputs: cached
        students:
          - name: gpt-1l
            architecture: {id: gpt, params: {layers: 1, width: 32, heads: 4}}
        strategies:
        %straining:
          epochs: 2
          batch_size: 16
          optimizer: {type: adam, lr: 0.003}
        seeds: [1]
        evaluation: {test: true, samples: 0, loss_statement: false}
        output:
          dir: runs
          plots: false
        """
        .formatted(methods);
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

  /** Each method's last-epoch wall and CPU time, relative to the study's reference method. */
  private static void printTimes(
      PrintWriter out, StudyResult r, Map<String, Double> cpu, String reference) {
    double kd = Double.NaN;
    double kdCpu = Double.NaN;
    for (RunSummary run : r.runs()) {
      if (run.method().equals(reference)) {
        kd = lastEpochSeconds(run);
        kdCpu = cpu.getOrDefault(label(run), Double.NaN);
      }
    }
    boolean lm = reference.equals("forward-kl");
    out.printf(
        "| strategy | epoch s | × %s | CPU s | CPU × %s | %s |%n",
        reference, reference, lm ? "test bits/char" : "test acc %");
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
          lm
              ? run.result().testMetrics().getOrDefault("test/bpc", Double.NaN)
              : 100 * run.result().testAcc());
    }
  }

  /** The run's label as the study runner names it (student/method/seedN). */
  private static String label(RunSummary run) {
    return run.student() + "/" + run.method() + "/seed" + run.seed();
  }

  private static double lastEpochSeconds(RunSummary run) {
    return run.result().history().get(run.result().history().size() - 1).seconds();
  }
}
