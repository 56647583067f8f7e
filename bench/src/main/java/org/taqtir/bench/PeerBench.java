package org.taqtir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taqtir-bench}: Taqtir against plain PyTorch on the same workloads (docs/performance.md).
 *
 * <p>Every Taqtir training is a normal {@code bin/taqtir run} of a one-run study, traced ({@code
 * -Dtaqtir.trace.dir}): the trace gives the PyTorch peer ({@code bench/pytorch_peer.py}) the
 * initial weights and every epoch's data order, so both stacks train the same model from the same
 * start on the same batches with the same loss, optimiser and schedule. The teacher of the
 * distillation workloads is trained once by Taqtir before the rounds and handed to the peer as the
 * trace of its selected weights. Rounds interleave the stacks (Taqtir first in odd rounds, PyTorch
 * first in even ones), so drift in the machine's speed hits both.
 */
@Command(
    name = "taqtir-bench",
    mixinStandardHelpOptions = true,
    description = "Taqtir vs plain PyTorch: per-epoch time, peak RSS and accuracy per workload")
public final class PeerBench implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--rounds", description = "interleaved rounds (default ${DEFAULT-VALUE})")
  int rounds = 3;

  @Option(names = "--epochs", description = "epochs per student run (default ${DEFAULT-VALUE})")
  int epochs = 4;

  @Option(
      names = "--teacher-epochs",
      description = "epochs of the teacher-training workload (default ${DEFAULT-VALUE})")
  int teacherEpochs = 3;

  @Option(
      names = "--kd-teacher-epochs",
      description =
          "epochs of the teacher the distillation workloads use (default ${DEFAULT-VALUE})")
  int kdTeacherEpochs = 5;

  @Option(names = "--batch", description = "batch size (default ${DEFAULT-VALUE})")
  int batch = 128;

  @Option(
      names = "--train-limit",
      description = "training images after the 5,000-image validation split (0 = all 55,000)")
  int trainLimit;

  @Option(
      names = "--workloads",
      split = ",",
      description = "which to run (default: teacher,labels,kd-batch,kd-cached,fitnets,sp)")
  List<String> only = List.of();

  @Option(
      names = "--scaling",
      description =
          "also time KD (cached) vs training-set size and KD (per batch) vs teacher width")
  boolean scaling;

  @Option(
      names = "--validation",
      description = "validation images split off the training file (default ${DEFAULT-VALUE})")
  int validation = 5000;

  @Option(
      names = "--student-hidden",
      split = ",",
      description = "the distilled student's hidden widths (default ${DEFAULT-VALUE})")
  List<Integer> studentHidden = Workload.STUDENT;

  @Option(
      names = "--teacher-hidden",
      split = ",",
      description = "the teacher's hidden widths, two or more (default ${DEFAULT-VALUE})")
  List<Integer> teacherHidden = Workload.TEACHER;

  @Option(
      names = "--lm",
      description =
          "run the language-model workloads instead (lm-gpt, lm-gpt-small, lm-lstm; Jane Austen,"
              + " char tokenizer; needs bin/corpora austen)")
  boolean lm;

  @Option(
      names = "--lm-batch",
      description = "windows per batch of the language-model workloads (default ${DEFAULT-VALUE})")
  int lmBatch = 12;

  @Option(
      names = "--lm-window",
      description = "tokens per window of the language-model workloads (default ${DEFAULT-VALUE})")
  int lmWindow = 64;

  @Option(
      names = "--train-chars",
      description =
          "training characters of the language-model workloads (default ${DEFAULT-VALUE})")
  int trainChars = 200_000;

  @Option(
      names = "--corpus-dir",
      description = "where bin/corpora unpacked the corpora (default: <checkout>/runs/corpora)")
  Path corpusDir;

  @Option(names = "--data", description = "Fashion-MNIST directory (default ${DEFAULT-VALUE})")
  Path data = Path.of("/usr/share/datasets/fashion-mnist");

  @Option(names = "--python", description = "Python with torch (default ${DEFAULT-VALUE})")
  String python = "/usr/bin/python3";

  @Option(names = "--out", description = "output directory (default runs/bench-peer/<time>)")
  Path out;

  @Option(
      names = "--report-from",
      description =
          "run nothing: draw the report again from a run's rounds.csv (into --out, default its"
              + " folder)")
  Path reportFrom;

  private final Path home;
  private final PrintStream log;

  /**
   * How Taqtir is started: null for {@code bin/taqtir} (the trace flags go in {@code
   * TAQTIR_JAVA_OPTS}); otherwise a java command whose first element is the java binary (the trace
   * flags follow it) and whose rest ends with Taqtir's main class.
   */
  List<String> taqtirJava;

  /** Creates the command for the checkout at {@code -Dtaqtir.home} (default: the working dir). */
  public PeerBench() {
    this(Path.of(System.getProperty("taqtir.home", ".")).toAbsolutePath().normalize(), System.out);
  }

  PeerBench(Path home, PrintStream log) {
    this.home = home;
    this.log = log;
  }

  /**
   * Command-line entry.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PeerBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (reportFrom != null) {
      List<Measurement> all = Report.readRounds(reportFrom);
      Path dir = out == null ? reportFrom.toAbsolutePath().getParent() : out;
      int runEpochs = all.stream().mapToInt(m -> m.epochSeconds().length).max().orElse(0);
      int maxRound = all.stream().mapToInt(Measurement::round).max().orElse(0);
      Report report =
          new Report(
              Workload.all(studentHidden, teacherHidden),
              all,
              String.valueOf(torchVersion()),
              batch,
              runEpochs,
              maxRound);
      report.write(dir);
      log.print(report.table());
      log.println("written: " + dir);
      return 0;
    }
    String torch = torchVersion();
    if (torch == null) {
      System.err.println(
          "taqtir-bench: "
              + python
              + " cannot import torch; install it with: sudo apt-get install python3-torch"
              + " libopenblas0-openmp python3-numpy");
      return 2;
    }
    if (lm) {
      return languageModels(torch);
    }
    if (!Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz"))) {
      System.err.println(
          "taqtir-bench: --data "
              + data
              + " has no train-images-idx3-ubyte.gz; install dataset-fashion-mnist");
      return 2;
    }
    if (out == null) {
      out =
          home.resolve("runs/bench-peer")
              .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    Files.createDirectories(out);
    if (teacherHidden.size() < 2) {
      System.err.println(
          "taqtir-bench: --teacher-hidden "
              + teacherHidden
              + " has one layer; the feature workloads read the teacher's hidden2: give two or"
              + " more");
      return 2;
    }
    List<Workload> workloads =
        Workload.all(studentHidden, teacherHidden).stream()
            .filter(w -> only.isEmpty() || only.contains(w.name()))
            .toList();
    log.printf(
        Locale.ROOT,
        "taqtir-bench: %s; PyTorch %s; %d cores; batch %d, %d epochs (teacher workload %d),"
            + " %d rounds%n",
        out,
        torch,
        Runtime.getRuntime().availableProcessors(),
        batch,
        epochs,
        teacherEpochs,
        rounds);

    // The teacher of the distillation workloads: trained once, traced for the peer.
    Path prepare = out.resolve("trace/prepare");
    Stopwatch sw = Stopwatch.start();
    // One student epoch: the run is there to train the teacher and trace its weights.
    Workload kdCached =
        Workload.all(studentHidden, teacherHidden).stream()
            .filter(w -> w.name().equals("kd-cached"))
            .findFirst()
            .orElseThrow();
    runTaqtir(
        "prepare",
        study("prepare", kdCached, teacherHidden, 1, trainLimit, kdTeacherEpochs),
        1,
        prepare,
        true);
    Path teacherTrace = traceOf(prepare, "teacher");
    Path splits = prepare.resolve("data.npz");
    log.printf(Locale.ROOT, "teacher for distillation: trained in %.1f s%n", sw.seconds());

    List<Measurement> all = new ArrayList<>();
    Map<String, Path> firstTrace = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (Workload w : workloads) {
        boolean taqtirFirst = round % 2 == 1;
        for (int i = 0; i < 2; i++) {
          boolean taqtir = (i == 0) == taqtirFirst;
          if (!taqtir && !firstTrace.containsKey(w.name())) {
            // The peer needs the trace: round 1 always starts with Taqtir.
            throw new IllegalStateException("no Taqtir trace for " + w.name());
          }
          Measurement m =
              taqtir
                  ? taqtirRun(w, round, firstTrace)
                  : peerRun(w, round, firstTrace.get(w.name()), teacherTrace, splits);
          all.add(m);
          log.printf(
              Locale.ROOT,
              "round %d %-9s %-7s epochs %s s  test %.2f %%  peak RSS %.0f MB  (process %.1f s)%n",
              round,
              w.name(),
              m.stack(),
              seconds(m.epochSeconds()),
              100 * m.testAccuracy(),
              m.peakRssMb(),
              m.wallSeconds());
        }
      }
    }
    Report report = new Report(workloads, all, torch, batch, epochs, rounds);
    report.write(out);
    log.println();
    log.print(report.table());
    if (scaling) {
      Scaling s = new Scaling(this, out.resolve("scaling"));
      s.run();
    }
    log.println("written: " + out);
    return 0;
  }

  private int languageModels(String torch) throws IOException, InterruptedException {
    Path corpora = corpusDir == null ? home.resolve("runs/corpora") : corpusDir;
    if (!Files.isRegularFile(corpora.resolve("r-cran-janeaustenr/.unpacked"))) {
      System.err.println(
          "taqtir-bench: the language-model workloads read Jane Austen's novels from Debian's"
              + " r-cran-janeaustenr, not under "
              + corpora
              + "; fetch it with: bin/corpora austen");
      return 2;
    }
    if (out == null) {
      out =
          home.resolve("runs/bench-peer")
              .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    Files.createDirectories(out);
    log.printf(
        Locale.ROOT,
        "taqtir-bench --lm: %s; PyTorch %s; %d cores; window %d, batch %d, %d epochs, %d rounds%n",
        out,
        torch,
        Runtime.getRuntime().availableProcessors(),
        lmWindow,
        lmBatch,
        epochs,
        rounds);
    LmBench bench = new LmBench(this, corpora, epochs, lmBatch, lmWindow, trainChars);
    String table = bench.run(only, rounds, python, home);
    log.println();
    log.print(table);
    log.println("written: " + out);
    return 0;
  }

  private Measurement taqtirRun(Workload w, int round, Map<String, Path> firstTrace)
      throws IOException, InterruptedException {
    Path trace = out.resolve("trace").resolve(w.name() + "-r" + round);
    Timed t = runTaqtir(w.name(), w, round, trace, false);
    Path run = traceOf(trace, "student");
    firstTrace.putIfAbsent(w.name(), run);
    List<String[]> rows = csv(run.resolve("epochs.csv"));
    double[] secs = epochSeconds(rows);
    Properties result = new Properties();
    try (var in = Files.newInputStream(run.resolve("result.properties"))) {
      result.load(in);
    }
    return new Measurement(
        w.name(),
        "taqtir",
        round,
        secs,
        Double.parseDouble(rows.get(0)[2]),
        Double.parseDouble(result.getProperty("test_accuracy")),
        t.peakRssMb(),
        t.seconds());
  }

  /** Runs one traced {@code bin/taqtir run}; fails with its log's tail when it fails. */
  Timed runTaqtir(String name, Workload w, int round, Path trace, boolean withData)
      throws IOException, InterruptedException {
    return runTaqtir(
        name,
        study(name, w, teacherHidden, epochsOf(w), trainLimit, kdTeacherEpochs),
        round,
        trace,
        withData);
  }

  Timed runTaqtir(String name, String yaml, int round, Path trace, boolean withData)
      throws IOException, InterruptedException {
    Files.createDirectories(trace);
    Path file = out.resolve("studies").resolve(name + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    List<String> flags = new ArrayList<>(List.of("-Dtaqtir.trace.dir=" + trace));
    if (!withData) {
      flags.add("-Dtaqtir.trace.data=false");
    }
    Map<String, String> env = new LinkedHashMap<>();
    List<String> command = new ArrayList<>();
    if (taqtirJava == null) {
      env.put("TAQTIR_JAVA_OPTS", String.join(" ", flags));
      command.add(home.resolve("bin/taqtir").toString());
    } else {
      command.add(taqtirJava.get(0));
      command.addAll(flags);
      command.addAll(taqtirJava.subList(1, taqtirJava.size()));
    }
    command.add("run");
    command.add(file.toString());
    Path logFile = out.resolve("logs").resolve(name + "-taqtir-r" + round + ".log");
    return Timed.run(command, env, logFile);
  }

  private int epochsOf(Workload w) {
    return "teacher".equals(w.name()) ? teacherEpochs : epochs;
  }

  /**
   * The one-run study of a workload, as a user would write it.
   *
   * @param name the study's name
   * @param w the workload
   * @param teacherHidden the distillation teacher's hidden widths
   * @param runEpochs the student's epochs
   * @param limit training images (0: all)
   * @param teacherEpochs the distillation teacher's epochs
   * @return the study's YAML
   */
  String study(
      String name,
      Workload w,
      List<Integer> teacherHidden,
      int runEpochs,
      int limit,
      int teacherEpochs) {
    StringBuilder s = new StringBuilder();
    s.append("name: bench-").append(name).append('\n');
    s.append("data: {dir: ").append(data).append(", validation: ").append(validation);
    s.append(", split_seed: 42");
    if (limit > 0) {
      s.append(", train_limit: ").append(limit);
    }
    s.append("}\n");
    // Every study names a teacher; one that no method uses is trained (or reused from the first
    // run) but never runs inside the training loop.
    s.append("teacher:\n  train:\n    architecture: {id: mlp, params: {hidden: ")
        .append(teacherHidden)
        .append("}}\n");
    s.append("    training: {epochs: ").append(teacherEpochs).append("}\n");
    s.append("  outputs: ").append(w.needsTeacher() ? w.teacherOutputs() : "cached").append('\n');
    s.append("students:\n  - name: student\n    architecture: {id: mlp, params: {hidden: ")
        .append(w.hidden())
        .append("}}\n");
    s.append("strategies:\n  - ").append(w.method()).append('\n');
    s.append("training:\n  epochs: ").append(runEpochs).append('\n');
    s.append("  batch_size: ").append(batch).append('\n');
    s.append("  optimizer: {type: sgd, lr: 0.05, momentum: 0.9}\n");
    s.append("  schedule: {type: cosine}\n");
    s.append("seeds: [1]\n");
    s.append("evaluation: {test: true, loss_statement: false}\n");
    s.append("output: {dir: ").append(out.resolve("taqtir")).append(", plots: false}\n");
    return s.toString();
  }

  private Measurement peerRun(Workload w, int round, Path run, Path teacher, Path splits)
      throws IOException, InterruptedException {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("data", splits.toString());
    spec.put("init", run.resolve("init.npz").toString());
    spec.put("permutations", run.resolve("permutations.npz").toString());
    spec.put("hidden", w.hidden());
    spec.put("terms", w.peerTerms());
    spec.put("epochs", epochsOf(w));
    spec.put("batch", batch);
    spec.put("lr", 0.05);
    spec.put("momentum", 0.9);
    spec.put("schedule", "cosine");
    spec.put("threads", Runtime.getRuntime().availableProcessors());
    if (w.needsTeacher()) {
      spec.put("teacher", teacher.resolve("selected.npz").toString());
      spec.put("teacher_hidden", teacherHidden);
      spec.put("teacher_outputs", w.teacherOutputs());
    }
    Path specFile = out.resolve("peer").resolve(w.name() + ".json");
    Files.createDirectories(specFile.getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(specFile.toFile(), spec);
    Path logFile = out.resolve("logs").resolve(w.name() + "-pytorch-r" + round + ".log");
    Timed t =
        Timed.run(
            List.of(python, home.resolve("bench/pytorch_peer.py").toString(), specFile.toString()),
            Map.of(),
            logFile);
    JsonNode result = lastJson(logFile);
    JsonNode epochsNode = result.get("epochs");
    double[] secs = new double[epochsNode.size()];
    for (int i = 0; i < secs.length; i++) {
      secs[i] = epochsNode.get(i).get("seconds").asDouble();
    }
    return new Measurement(
        w.name(),
        "pytorch",
        round,
        secs,
        epochsNode.get(0).get("train_loss").asDouble(),
        result.get("test_acc").asDouble(),
        Math.max(t.peakRssMb(), result.get("peak_rss_mb").asDouble()),
        t.seconds());
  }

  /** The version {@code --python} reports for torch, or null when it cannot import torch. */
  String torchVersion() throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import torch, numpy; print(torch.__version__)")
              .redirectErrorStream(true)
              .start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? text : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The trace sub-directory of the (last) training of a model name in a process's trace. */
  static Path traceOf(Path trace, String model) throws IOException {
    try (Stream<Path> s = Files.list(trace)) {
      return s.filter(p -> p.getFileName().toString().endsWith("-" + model))
          .max((a, b) -> Integer.compare(sequence(a), sequence(b)))
          .orElseThrow(() -> new IllegalStateException("no " + model + " training in " + trace));
    }
  }

  private static int sequence(Path p) {
    String n = p.getFileName().toString();
    return Integer.parseInt(n.substring(0, n.indexOf('-')));
  }

  /** The seconds column of a trace's {@code epochs.csv} rows. */
  static double[] epochSeconds(List<String[]> rows) {
    double[] secs = new double[rows.size()];
    for (int i = 0; i < secs.length; i++) {
      secs[i] = Double.parseDouble(rows.get(i)[1]);
    }
    return secs;
  }

  static List<String[]> csv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        rows.add(line.split(","));
      }
    }
    return rows;
  }

  static JsonNode lastJson(Path logFile) throws IOException {
    List<String> lines = Files.readAllLines(logFile);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("{")) {
        return JSON.readTree(lines.get(i));
      }
    }
    throw new IllegalStateException("no result line in " + logFile);
  }

  private static String seconds(double[] secs) {
    StringBuilder s = new StringBuilder();
    for (double v : secs) {
      s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
    }
    return s.toString();
  }

  Path out() {
    return out;
  }

  PrintStream log() {
    return log;
  }

  /** Wall-clock seconds since a start. */
  record Stopwatch(long origin) {
    static Stopwatch start() {
      return new Stopwatch(System.nanoTime());
    }

    double seconds() {
      return (System.nanoTime() - origin) / 1e9;
    }
  }

  static void writeString(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
