package org.taqtir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * {@code taqtir-bench --lm}: the language-model workloads against their plain-PyTorch twin ({@code
 * bench/pytorch_lm_peer.py}). Each Taqtir run is a traced one-run study on Jane Austen's novels
 * (character tokenizer); the twin starts from the traced initial weights and trains on the same
 * windows in the same order with the same loss (next-token cross-entropy over every position) and
 * optimiser (Adam, constant learning rate). Rounds interleave the stacks as the image workloads do.
 *
 * <p>Figures per workload: training tokens per second (the median of epochs 2.. of a run, then over
 * rounds; the ratio is the median of each round's Taqtir ÷ PyTorch, target ≥ 1.0), the first step's
 * loss on both stacks (target: equal to 1e-4 relative) and the largest relative gap over the first
 * 50 steps, the last epoch's validation loss on both, and the peak RSS of each process.
 */
final class LmBench {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One language-model workload.
   *
   * @param name e.g. {@code lm-gpt}
   * @param title what it trains, for the report
   * @param arch the architecture's parameters (study YAML and twin alike), with {@code id}
   */
  record LmWorkload(String name, String title, Map<String, Object> arch) {

    /** The architecture as a study's flow mapping. */
    String yaml() {
      StringBuilder p = new StringBuilder();
      arch.forEach(
          (k, v) -> {
            if (!k.equals("id")) {
              p.append(p.length() == 0 ? "" : ", ").append(k).append(": ").append(v);
            }
          });
      return "{id: " + arch.get("id") + ", params: {" + p + "}}";
    }
  }

  /** The three workloads: a 0.8 M-parameter GPT (a teacher), a ~70 k GPT (a student), an LSTM. */
  static List<LmWorkload> all() {
    return List.of(
        new LmWorkload(
            "lm-gpt",
            "char GPT 4 layers d128 (teacher size, ~0.82 M parameters)",
            ordered("id", "gpt", "layers", 4, "width", 128, "heads", 4)),
        new LmWorkload(
            "lm-gpt-small",
            "char GPT 2 layers d48 (student size, ~67 k parameters)",
            ordered("id", "gpt", "layers", 2, "width", 48, "heads", 4)),
        new LmWorkload(
            "lm-lstm",
            "char LSTM, embedding 64, state 256 (~0.35 M parameters)",
            ordered("id", "lstm-lm", "width", 64, "state", 256)));
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * One run of one stack.
   *
   * @param workload the workload's name
   * @param stack {@code taqtir} or {@code pytorch}
   * @param round the round
   * @param epochSeconds seconds of each epoch (training steps only)
   * @param tokensPerEpoch tokens trained on per epoch
   * @param firstSteps the losses of the first steps
   * @param lastValLoss the last epoch's validation loss (nats per token)
   * @param peakRssMb the process's peak RSS
   */
  record Run(
      String workload,
      String stack,
      int round,
      double[] epochSeconds,
      long tokensPerEpoch,
      double[] firstSteps,
      double lastValLoss,
      double peakRssMb) {

    double tokensPerSecond() {
      double[] s = epochSeconds;
      double steady =
          s.length == 1 ? s[0] : Measurement.median(java.util.Arrays.copyOfRange(s, 1, s.length));
      return tokensPerEpoch / steady;
    }
  }

  private final PeerBench bench;
  private final Path corpusDir;
  private final int epochs;
  private final int batch;
  private final int window;
  private final int trainChars;

  LmBench(PeerBench bench, Path corpusDir, int epochs, int batch, int window, int trainChars) {
    this.bench = bench;
    this.corpusDir = corpusDir;
    this.epochs = epochs;
    this.batch = batch;
    this.window = window;
    this.trainChars = trainChars;
  }

  /**
   * Runs the rounds and writes {@code lm.md} and {@code lm-rounds.csv}.
   *
   * @param only workload names to run (empty: all)
   * @param rounds interleaved rounds
   * @param python the Python with torch
   * @param home the checkout
   * @return the report's table
   */
  String run(List<String> only, int rounds, String python, Path home)
      throws IOException, InterruptedException {
    List<LmWorkload> workloads =
        all().stream().filter(w -> only.isEmpty() || only.contains(w.name())).toList();
    List<Run> runs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (LmWorkload w : workloads) {
        boolean taqtirFirst = round % 2 == 1;
        Path trace = bench.out().resolve("trace").resolve(w.name() + "-r" + round);
        for (int i = 0; i < 2; i++) {
          boolean taqtir = (i == 0) == taqtirFirst;
          Run r =
              taqtir ? taqtir(w, round, trace) : peer(w, round, firstTrace(w, trace), python, home);
          runs.add(r);
          bench
              .log()
              .printf(
                  Locale.ROOT,
                  "round %d %-12s %-7s %,.0f tokens/s  first loss %.6f  last val loss %.4f  peak"
                      + " RSS %.0f MB%n",
                  round,
                  w.name(),
                  r.stack(),
                  r.tokensPerSecond(),
                  r.firstSteps()[0],
                  r.lastValLoss(),
                  r.peakRssMb());
        }
      }
    }
    String table = table(workloads, runs, rounds);
    PeerBench.writeString(bench.out().resolve("lm.md"), table);
    PeerBench.writeString(bench.out().resolve("lm-rounds.csv"), csv(runs));
    return table;
  }

  /** Round 1's Taqtir trace (even rounds start with PyTorch, which needs a trace). */
  private Path firstTrace(LmWorkload w, Path trace) throws IOException {
    Path own = trace.resolve("1-student");
    if (Files.isDirectory(own)) {
      return own;
    }
    return PeerBench.traceOf(bench.out().resolve("trace").resolve(w.name() + "-r1"), "student");
  }

  String study(LmWorkload w) {
    return "name: bench-"
        + w.name()
        + "\ntask: language-modelling\ndata: {source: text, corpus: austen, corpus_dir: "
        + corpusDir
        + ", every: 20, window: "
        + window
        + ", train_chars: "
        + trainChars
        + ", tokenizer: {id: char}}\n"
        // every study names a teacher; with evaluation.test off nothing needs it: never trained
        + "teacher: {train: {architecture: {id: gpt, params: {layers: 1, width: 16, heads: 2}}}}\n"
        + "students:\n  - {name: student, architecture: "
        + w.yaml()
        + "}\nstrategies:\n  - {id: next-token}\ntraining: {epochs: "
        + epochs
        + ", batch_size: "
        + batch
        + ", optimizer: {type: adam, lr: 0.001}}\nseeds: [1]\nevaluation: {test: false}\n"
        + "output: {dir: "
        + bench.out().resolve("taqtir")
        + ", plots: false}\n";
  }

  private Run taqtir(LmWorkload w, int round, Path trace) throws IOException, InterruptedException {
    Timed t = bench.runTaqtir(w.name(), study(w), round, trace, true);
    Path run = PeerBench.traceOf(trace, "student");
    List<String[]> rows = PeerBench.csv(run.resolve("epochs.csv"));
    List<String[]> steps = PeerBench.csv(run.resolve("steps.csv"));
    double[] first = new double[steps.size()];
    for (int i = 0; i < first.length; i++) {
      first[i] = Double.parseDouble(steps.get(i)[2]);
    }
    return new Run(
        w.name(),
        "taqtir",
        round,
        PeerBench.epochSeconds(rows),
        trainTokens(trace.resolve("data.npz")),
        first,
        Double.parseDouble(rows.get(rows.size() - 1)[4]),
        t.peakRssMb());
  }

  /** Windows × window of the traced training split. */
  private long trainTokens(Path data) throws IOException {
    try (ZipFile zip = new ZipFile(data.toFile())) {
      var entry = zip.getEntry("train_y.npy");
      // int32 targets, N·T of them, after the .npy header (a multiple of 64 bytes)
      try (var in = zip.getInputStream(entry)) {
        byte[] head = in.readNBytes(10);
        int headerLen = (head[8] & 0xff) | (head[9] & 0xff) << 8;
        return (entry.getSize() - 10 - headerLen) / Integer.BYTES;
      }
    }
  }

  private Run peer(LmWorkload w, int round, Path run, String python, Path home)
      throws IOException, InterruptedException {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("data", run.getParent().resolve("data.npz").toString());
    spec.put("init", run.resolve("init.npz").toString());
    spec.put("permutations", run.resolve("permutations.npz").toString());
    spec.put("arch", w.arch());
    spec.put("vocabulary", vocabulary(run));
    spec.put("window", window);
    spec.put("epochs", epochs);
    spec.put("batch", batch);
    spec.put("lr", 0.001);
    spec.put("threads", Runtime.getRuntime().availableProcessors());
    Path specFile = bench.out().resolve("peer").resolve(w.name() + ".json");
    Files.createDirectories(specFile.getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(specFile.toFile(), spec);
    Path logFile = bench.out().resolve("logs").resolve(w.name() + "-pytorch-r" + round + ".log");
    Timed t =
        Timed.run(
            List.of(
                python, home.resolve("bench/pytorch_lm_peer.py").toString(), specFile.toString()),
            Map.of(),
            logFile);
    JsonNode result = PeerBench.lastJson(logFile);
    JsonNode epochsNode = result.get("epochs");
    double[] secs = new double[epochsNode.size()];
    for (int i = 0; i < secs.length; i++) {
      secs[i] = epochsNode.get(i).get("seconds").asDouble();
    }
    JsonNode steps = result.get("first_steps");
    double[] first = new double[steps.size()];
    for (int i = 0; i < first.length; i++) {
      first[i] = steps.get(i).asDouble();
    }
    long tokens =
        Math.round(
            epochsNode.get(0).get("tokens_per_second").asDouble()
                * epochsNode.get(0).get("seconds").asDouble());
    return new Run(
        w.name(),
        "pytorch",
        round,
        secs,
        tokens,
        first,
        epochsNode.get(secs.length - 1).get("val_loss").asDouble(),
        Math.max(t.peakRssMb(), result.get("peak_rss_mb").asDouble()));
  }

  /** The vocabulary: the rows of the traced token embedding (the first trainable array). */
  private static int vocabulary(Path run) throws IOException {
    try (ZipFile zip = new ZipFile(run.resolve("init.npz").toFile())) {
      try (var in = zip.getInputStream(zip.getEntry("p000.npy"))) {
        String header =
            new String(in.readNBytes(128), java.nio.charset.StandardCharsets.ISO_8859_1);
        int open = header.indexOf("'shape': (") + 10;
        return Integer.parseInt(header.substring(open, header.indexOf(',', open)).trim());
      }
    }
  }

  String table(List<LmWorkload> workloads, List<Run> runs, int rounds) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Language models on Jane Austen (char tokenizer), window %d, batch %d, Adam lr 0.001,"
                + " %d epochs of %,d training characters per run, %d interleaved rounds. tokens/s:"
                + " the median of epochs 2..%d of a run, then over rounds; ratio: the median of"
                + " each round's Taqtir ÷ PyTorch (target ≥ 1.0). First-step loss: target equal"
                + " to 1e-4 relative.%n%n",
            window,
            batch,
            epochs,
            trainChars,
            rounds,
            epochs));
    s.append(
        "| workload | Taqtir tokens/s | PyTorch tokens/s | ratio (≥ 1.0) | first-step loss"
            + " (Taqtir / PyTorch) | max rel. gap, first 50 steps | last val loss (Taqtir /"
            + " PyTorch) | peak RSS MB (Taqtir / PyTorch) | targets |\n");
    s.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (LmWorkload w : workloads) {
      List<Run> t = of(runs, w.name(), "taqtir");
      List<Run> p = of(runs, w.name(), "pytorch");
      if (t.isEmpty() || p.isEmpty()) {
        continue;
      }
      double[] ratios = new double[Math.min(t.size(), p.size())];
      double gap = 0;
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = t.get(i).tokensPerSecond() / p.get(i).tokensPerSecond();
        double[] a = t.get(i).firstSteps();
        double[] b = p.get(i).firstSteps();
        for (int k = 0; k < Math.min(a.length, b.length); k++) {
          gap = Math.max(gap, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
        }
      }
      double ratio = Measurement.median(ratios);
      double a0 = t.get(0).firstSteps()[0];
      double b0 = p.get(0).firstSteps()[0];
      boolean lossOk = Math.abs(a0 - b0) <= 1e-4 * Math.abs(b0);
      List<String> missed = new ArrayList<>();
      if (ratio < 1.0) {
        missed.add("speed");
      }
      if (!lossOk) {
        missed.add("first-step loss");
      }
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %.2f | %.6f / %.6f | %.1e | %.4f / %.4f | %.0f / %.0f | %s"
                  + " |%n",
              w.name(),
              medianOf(t, Run::tokensPerSecond),
              medianOf(p, Run::tokensPerSecond),
              ratio,
              a0,
              b0,
              gap,
              t.get(t.size() - 1).lastValLoss(),
              p.get(p.size() - 1).lastValLoss(),
              medianOf(t, Run::peakRssMb),
              medianOf(p, Run::peakRssMb),
              missed.isEmpty() ? "met" : "missed: " + String.join(", ", missed)));
    }
    return s.toString();
  }

  private static List<Run> of(List<Run> runs, String workload, String stack) {
    return runs.stream()
        .filter(r -> r.workload().equals(workload) && r.stack().equals(stack))
        .toList();
  }

  private static double medianOf(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    return Measurement.median(runs.stream().mapToDouble(f).toArray());
  }

  private static String csv(List<Run> runs) {
    StringBuilder s =
        new StringBuilder(
            "workload,stack,round,epoch_seconds,tokens_per_epoch,first_step_loss,last_val_loss,"
                + "peak_rss_mb\n");
    for (Run r : runs) {
      StringBuilder secs = new StringBuilder();
      for (double v : r.epochSeconds()) {
        secs.append(secs.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", v));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%d,%s,%d,%.9g,%.9g,%.1f%n",
              r.workload(),
              r.stack(),
              r.round(),
              secs,
              r.tokensPerEpoch(),
              r.firstSteps()[0],
              r.lastValLoss(),
              r.peakRssMb()));
    }
    return s.toString();
  }
}
