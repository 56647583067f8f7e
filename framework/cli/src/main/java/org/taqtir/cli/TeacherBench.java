package org.taqtir.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Params;
import org.taqtir.api.SampleRefs;
import org.taqtir.api.Student;
import org.taqtir.api.Teacher;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.FashionMnist;
import org.taqtir.core.data.IdxDataset;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.teacher.DefaultTeacherContext;
import org.taqtir.core.teacher.TeacherOutputCache;

/**
 * {@code taqtir bench teachers}: the teacher-cache build time for the whole Fashion-MNIST training
 * file (60 000 samples) with the quickstart's MLP teacher (784-1200-1200-10, loaded through {@code
 * djl-model}; its weights are freshly initialised, which costs the same as trained ones), and the
 * {@code onnx} teacher's throughput on the committed PyTorch-exported CNN, whose test accuracy is
 * checked against the one PyTorch measured.
 */
final class TeacherBench {

  private static final String ONNX_FIXTURE =
      "plugins/teachers-onnx/src/test/resources/fixtures/fashion-cnn.onnx";

  private final PluginRegistry registry;
  private final Path home;
  private final PrintWriter out;

  TeacherBench(PluginRegistry registry, Path home, PrintWriter out) {
    this.registry = registry;
    this.home = home;
    this.out = out;
  }

  int run(Path dataDir, int repeats) throws IOException {
    Dataset train =
        IdxDataset.load(
                dataDir.resolve("train-images-idx3-ubyte.gz"),
                dataDir.resolve("train-labels-idx1-ubyte.gz"),
                FashionMnist.CLASSES)
            .withSource(SampleRefs.TRAIN);
    Dataset test =
        IdxDataset.load(
                dataDir.resolve("t10k-images-idx3-ubyte.gz"),
                dataDir.resolve("t10k-labels-idx1-ubyte.gz"),
                FashionMnist.CLASSES)
            .withSource(SampleRefs.TEST);
    ModelShape shape = new ModelShape(new Shape(1, 28, 28), FashionMnist.CLASSES);
    Path tmp = Files.createTempDirectory("taqtir-bench-teachers");
    try (NDManager manager = NDManager.newBaseManager()) {
      DefaultTeacherContext context =
          new DefaultTeacherContext(
              shape,
              manager,
              home,
              registry,
              Map.of(SampleRefs.TRAIN, train.size(), SampleRefs.TEST, test.size()));
      out.println(
          String.format(
              Locale.ROOT,
              "## Teacher benchmark (%d training-file samples; threads %s, cores %d)",
              train.size(),
              System.getProperty("ai.djl.pytorch.num_threads", "default"),
              Runtime.getRuntime().availableProcessors()));
      Path mlpDir = saveMlp(context, tmp.resolve("mlp"));
      try (Teacher mlp = create("djl-model", Map.of("path", mlpDir.toString()), context)) {
        List<Double> compute = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> build = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
          long c0 = cpuNanos();
          long t0 = System.nanoTime();
          TeacherOutputCache.compute(mlp, train, Set.of(), manager);
          compute.add((System.nanoTime() - t0) / 1e9);
          cpu.add((cpuNanos() - c0) / 1e9);
          TeacherOutputCache cache = new TeacherOutputCache(tmp.resolve("cache-" + i));
          build.add(cache.get(mlp, train, Set.of(), manager).seconds());
        }
        out.println(
            String.format(
                Locale.ROOT,
                "MLP teacher %s: cache build (compute + write) %s s, median %.2f s (target <= 5);"
                    + " logits alone %s s using %s CPU-s (process CPU time: what the wall time"
                    + " would be on the idle cores, times their count)",
                mlp.describe().replaceAll(" \\(.*", ""),
                list(build),
                median(build),
                list(compute),
                list(cpu)));
      }
      Path onnx = home.resolve(ONNX_FIXTURE);
      if (!Files.isRegularFile(onnx)) {
        out.println("onnx: " + onnx + " not found; run from the repository root");
        return 1;
      }
      for (int threads : new int[] {1, 2}) {
        try (Teacher t =
            create("onnx", Map.of("path", onnx.toString(), "threads", threads), context)) {
          List<Double> seconds = new ArrayList<>();
          List<Double> cpu = new ArrayList<>();
          for (int i = 0; i < repeats; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            TeacherOutputCache.compute(t, train, Set.of(), manager);
            seconds.add((System.nanoTime() - t0) / 1e9);
            cpu.add((cpuNanos() - c0) / 1e9);
          }
          float[] logits =
              TeacherOutputCache.floats(
                  TeacherOutputCache.compute(t, test, Set.of(), manager)
                      .get(TeacherOutputCache.LOGITS));
          double acc = Metrics.accuracy(logits, test.labels(), FashionMnist.CLASSES);
          out.println(
              String.format(
                  Locale.ROOT,
                  "ONNX teacher %s, %d intra-op thread%s: %s s (%s CPU-s) for %d samples, median"
                      + " %.0f samples/s; test accuracy %.4f (PyTorch measured 0.8031)",
                  onnx.getFileName(),
                  threads,
                  threads == 1 ? "" : "s",
                  list(seconds),
                  list(cpu),
                  train.size(),
                  train.size() / median(seconds),
                  acc));
        }
      }
    } finally {
      try (var files = Files.walk(tmp)) {
        files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private Teacher create(String id, Map<String, Object> raw, DefaultTeacherContext context) {
    var provider = registry.teachers().get(id);
    Params p = ParamResolver.resolve(id, provider.params(), raw, "teacher.load.params");
    return provider.create(p, context);
  }

  /** Saves an initialised 784-1200-1200-10 MLP in the layout djl-model reads. */
  private static Path saveMlp(DefaultTeacherContext context, Path dir) throws IOException {
    Map<String, Object> params = Map.of("hidden", List.of(1200, 1200));
    Student s = context.architecture("mlp", params);
    try (Model model = Model.newInstance("teacher")) {
      model.setBlock(s.block());
      Engine.getInstance().setRandomSeed(1);
      s.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 28, 28));
      Files.createDirectories(dir);
      model.save(dir, "teacher");
    }
    Files.writeString(
        dir.resolve("teacher.json"),
        "{\"architecture\": \"mlp\", \"params\": {\"hidden\": [1200, 1200]}, \"input_shape\":"
            + " [1, 28, 28], \"classes\": 10}");
    return dir;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static String list(List<Double> v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v.get(i)));
    }
    return sb.append(']').toString();
  }

  /** {@code taqtir bench teachers}. */
  @picocli.CommandLine.Command(
      name = "teachers",
      description =
          "Time the teacher-cache build (60k training images, the quickstart MLP teacher) and the onnx teacher's throughput (samples/s).")
  static final class Command implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(
        names = "--data",
        description = "Fashion-MNIST directory (default ${DEFAULT-VALUE})")
    Path data = Path.of("/usr/share/datasets/fashion-mnist");

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path home = Path.of(System.getProperty("taqtir.home", "."));
      PluginRegistry registry = PluginRegistry.load(Thread.currentThread().getContextClassLoader());
      return new TeacherBench(registry, home, out).run(data, 3);
    }
  }
}
