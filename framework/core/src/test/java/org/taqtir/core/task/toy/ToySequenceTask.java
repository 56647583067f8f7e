package org.taqtir.core.task.toy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.taqtir.api.ModelShape;
import org.taqtir.api.Range;
import org.taqtir.api.Teacher;
import org.taqtir.core.config.ConfigSection;
import org.taqtir.core.config.DataSpec;
import org.taqtir.core.config.EvaluationSpec;
import org.taqtir.core.config.Study;
import org.taqtir.core.data.Samples;
import org.taqtir.core.eval.StudyReport;
import org.taqtir.core.run.RunSummary;
import org.taqtir.core.task.RunEvaluation;
import org.taqtir.core.task.Task;
import org.taqtir.core.task.TaskData;
import org.taqtir.core.task.TeacherEvaluation;
import org.taqtir.core.task.TeacherOutputs;
import org.taqtir.core.train.StudentModel;
import org.taqtir.core.train.Validator;

/**
 * {@code toy-sequence}: a task that is not classification, written outside the core against the
 * Task SPI only, to prove the seam. Each sample is a window of {@code length} tokens of a seeded
 * Markov chain over {@code vocabulary} symbols; the target is the next token at every position
 * (language modelling in miniature). Selection on validation loss (cross-entropy per token).
 */
public final class ToySequenceTask implements Task {

  /** The task's id. */
  public static final String ID = "toy-sequence";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public DataSpec data(ConfigSection s) {
    Raw r = s.bind(Raw.class);
    Raw d = r == null ? new Raw(null, null, null, null) : r;
    return new Data(
        s.intIn(d.windows(), 300, Range.atLeast(3), "data.windows"),
        s.intIn(d.length(), 12, Range.closed(2, 256), "data.length"),
        s.intIn(d.vocabulary(), 6, Range.closed(2, 64), "data.vocabulary"),
        d.seed() == null ? 1L : d.seed());
  }

  @Override
  public EvaluationSpec evaluation(ConfigSection s) {
    EvalRaw r = s.bind(EvalRaw.class);
    return new Evaluation(
        r == null || r.test() == null || r.test(),
        s.oneOf(
            r == null ? null : r.select(),
            "val_loss",
            List.of("val_loss", "val_acc"),
            "evaluation.select"));
  }

  @Override
  public String labelStrategy() {
    return ToyStrategies.NEXT_TOKEN;
  }

  @Override
  public TaskData load(Study study, Path runDir, Consumer<String> log) {
    Data d = (Data) study.data();
    log.accept("toy data: " + d.windows() + " windows of " + d.length() + " tokens");
    return new Loaded(d, (Evaluation) study.evaluation());
  }

  /** The {@code data:} block as bound. */
  record Raw(Integer windows, Integer length, Integer vocabulary, Long seed) {}

  /** The {@code evaluation:} block as bound. */
  record EvalRaw(Boolean test, String select) {}

  /** The resolved data block. */
  record Data(int windows, int length, int vocabulary, long seed) implements DataSpec {
    @Override
    public Map<String, Object> toYaml() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("windows", windows);
      m.put("length", length);
      m.put("vocabulary", vocabulary);
      m.put("seed", seed);
      return m;
    }
  }

  /** The resolved evaluation block. */
  record Evaluation(boolean test, String select) implements EvaluationSpec {
    @Override
    public boolean lossStatement() {
      return test;
    }

    @Override
    public boolean failOnTargets() {
      return false;
    }

    @Override
    public Map<String, Object> toYaml() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("test", test);
      m.put("select", select);
      return m;
    }
  }

  /** The study's report: each method's mean test token accuracy and the teacher's. */
  public record Report(Map<String, Double> metrics) implements StudyReport {}

  /** Token windows: inputs are tokens 0..T-1 of a chain, targets tokens 1..T. */
  record Windows(int[] inputs, int[] targets, int n, int t, int vocabulary, String name)
      implements Samples {

    static Windows of(int n, int t, int vocabulary, long seed, String name) {
      SplittableRandom chain = new SplittableRandom(seed * 31 + 7);
      // a peaked transition table: each symbol has one likely successor
      int[] next = new int[vocabulary];
      for (int v = 0; v < vocabulary; v++) {
        next[v] = chain.nextInt(vocabulary);
      }
      SplittableRandom r = new SplittableRandom(seed * 977 + name.hashCode());
      int[] in = new int[n * t];
      int[] out = new int[n * t];
      for (int i = 0; i < n; i++) {
        int x = r.nextInt(vocabulary);
        for (int j = 0; j < t; j++) {
          int y = r.nextDouble() < 0.8 ? next[x] : r.nextInt(vocabulary);
          in[i * t + j] = x;
          out[i * t + j] = y;
          x = y;
        }
      }
      return new Windows(in, out, n, t, vocabulary, name);
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public long[] sampleDims() {
      return new long[] {t};
    }

    @Override
    public int numClasses() {
      return vocabulary;
    }

    @Override
    public NDArray residentInputs(NDManager manager) {
      return manager.create(inputs, new Shape(n, t));
    }

    @Override
    public NDArray inputs(NDManager manager, int from, int to) {
      int[] part = new int[(to - from) * t];
      System.arraycopy(inputs, from * t, part, 0, part.length);
      return manager.create(part, new Shape(to - from, t));
    }

    @Override
    public int[] targets() {
      return targets;
    }

    @Override
    public int targetWidth() {
      return t;
    }

    @Override
    public String contentHash() {
      return name
          + ":"
          + java.util.Arrays.hashCode(inputs)
          + ":"
          + java.util.Arrays.hashCode(targets);
    }
  }

  /** Loaded data and the task's evaluation of it. */
  static final class Loaded implements TaskData {
    private final Data data;
    private final Evaluation evaluation;
    private final Windows train;
    private final Windows validation;
    private final Windows test;

    Loaded(Data d, Evaluation evaluation) {
      this.data = d;
      this.evaluation = evaluation;
      this.train = Windows.of(d.windows(), d.length(), d.vocabulary(), d.seed(), "train");
      this.validation =
          Windows.of(d.windows() / 3, d.length(), d.vocabulary(), d.seed(), "validation");
      this.test = Windows.of(d.windows() / 3, d.length(), d.vocabulary(), d.seed(), "test");
    }

    @Override
    public String hash() {
      try {
        byte[] d =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(
                    (train.contentHash() + validation.contentHash() + test.contentHash())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ModelShape shape() {
      return new ModelShape(new Shape(data.length()), data.vocabulary());
    }

    @Override
    public Samples teacherTrain() {
      return train;
    }

    @Override
    public Samples train() {
      return train;
    }

    @Override
    public Samples validation() {
      return validation;
    }

    @Override
    public Samples test() {
      return test;
    }

    @Override
    public Map<String, Samples> teacherSets() {
      return Map.of("validation", validation, "test", test);
    }

    @Override
    public Validator validator() {
      return model -> scores(model.logits(validation, true), validation);
    }

    /** Cross-entropy per token and top-1 accuracy per token. */
    static Validator.Scores scores(float[] logits, Windows w) {
      int v = w.vocabulary();
      double ce = 0;
      int right = 0;
      int positions = w.targets().length;
      for (int p = 0; p < positions; p++) {
        int off = p * v;
        double max = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int c = 0; c < v; c++) {
          if (logits[off + c] > max) {
            max = logits[off + c];
            best = c;
          }
        }
        double z = 0;
        for (int c = 0; c < v; c++) {
          z += Math.exp(logits[off + c] - max);
        }
        ce += Math.log(z) + max - logits[off + w.targets()[p]];
        right += best == w.targets()[p] ? 1 : 0;
      }
      return new Validator.Scores(
          ce / positions,
          (double) right / positions,
          Map.of("val_bits_per_token", ce / positions / Math.log(2)));
    }

    @Override
    public TeacherEvaluation evaluateTeacher(
        Teacher teacher, TeacherOutputs outputs, Consumer<String> log) {
      double val = scores(outputs.logits(validation), validation).accuracy();
      double tst = scores(outputs.logits(test), test).accuracy();
      return new TeacherEvaluation(val, tst, Map.of("val/acc", val, "test/acc", tst), null);
    }

    @Override
    public RunEvaluation evaluate(StudentModel model) {
      if (!evaluation.test()) {
        return new RunEvaluation(Map.of(), null);
      }
      Validator.Scores s = scores(model.logits(test, false), test);
      return new RunEvaluation(Map.of("test/acc", s.accuracy(), "test/loss", s.loss()), null);
    }

    @Override
    public StudyReport evaluateStudy(
        List<RunSummary> runs, TeacherEvaluation teacher, Consumer<String> log) {
      Map<String, Double> m = new LinkedHashMap<>();
      if (teacher != null) {
        m.put("toy/teacher/test_acc", teacher.testAcc());
      }
      Map<String, double[]> sums = new LinkedHashMap<>();
      for (RunSummary r : runs) {
        double[] s = sums.computeIfAbsent(r.method(), k -> new double[2]);
        s[0] += r.result().testAcc();
        s[1]++;
      }
      sums.forEach((k, s) -> m.put("toy/" + k + "/test_acc", s[0] / s[1]));
      log.accept("toy evaluation: " + m);
      return new Report(m);
    }
  }

  /** Used by the test to check the seam reached the task's own code. */
  static Set<String> keys(Report r) {
    return r.metrics().keySet();
  }
}
