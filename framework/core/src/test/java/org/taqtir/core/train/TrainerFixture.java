package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.ModelShape;
import org.taqtir.api.ParamSpec;
import org.taqtir.api.Params;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Student;
import org.taqtir.api.Taps;
import org.taqtir.core.config.OptimizerConfig;
import org.taqtir.core.config.PluginRef;
import org.taqtir.core.config.ScheduleConfig;
import org.taqtir.core.config.Term;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.FashionMnist;
import org.taqtir.core.data.Synthetic;
import org.taqtir.core.eval.Metrics;
import org.taqtir.core.eval.ModelOutputs;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.run.TrainResult;
import org.taqtir.core.teacher.TeacherOutputCache;

/** Runs the real trainer with the real plugins on synthetic data; used in- and out-of-process. */
final class TrainerFixture {

  static final PluginRegistry REGISTRY = PluginRegistry.load(TrainerFixture.class.getClassLoader());

  private TrainerFixture() {}

  /** Synthetic IDX files (800 train, 300 test) in {@code dir/data}, split 600 / 200 / 300. */
  static DataSplits data(Path dir) throws IOException {
    Path data = dir.resolve("data");
    Synthetic.writeTinyFashionLike(data, 800, 300, 5);
    return FashionMnist.load(data, 0, 0, 200, 3);
  }

  /** Validation cross-entropy and accuracy, as the classification task scores an epoch. */
  static Validator validator(Dataset val) {
    return model -> {
      float[] l = model.logits(val, true);
      int k = val.numClasses();
      return new Validator.Scores(
          Metrics.crossEntropy(l, val.labels(), k), Metrics.accuracy(l, val.labels(), k), Map.of());
    };
  }

  /** A trainer run the way a study runs one, with the test split evaluated as classification. */
  static Run trainer(
      TrainingConfig config,
      long seed,
      List<Term.Bound> terms,
      TeacherSignal teacher,
      TrainingListener listener) {
    return new Run(new Trainer(config, seed, terms, teacher).listeners(listener));
  }

  /** One training: fit, evaluate the test split, save. */
  record Run(Trainer trainer) {
    Run checkpoint(Path file) {
      trainer.checkpoint(file);
      return this;
    }

    TrainResult train(Student student, DataSplits data, boolean test, Path saveDir, String name) {
      try (Trainer.Fit fit =
          trainer.fit(
              student,
              name == null ? "student" : name,
              data.train(),
              validator(data.validation()))) {
        TrainResult r = fit.result();
        if (fit.run().bestWeights() == null) {
          return r;
        }
        if (test) {
          float[] logits = fit.model().logits(data.test(), false);
          double acc = Metrics.accuracy(logits, data.test().labels(), data.test().numClasses());
          r =
              r.evaluated(
                  Map.of("test/acc", acc),
                  new ModelOutputs(
                      new float[0],
                      logits,
                      Map.of(),
                      Double.NaN,
                      Double.NaN,
                      fit.model().parameterCount(),
                      0));
          fit.evaluated(r.testMetrics());
        }
        if (saveDir != null) {
          fit.model().save(saveDir);
        }
        return r;
      }
    }
  }

  /**
   * A term whose strategy is the given instance (a provider that hands it out once).
   *
   * @param id the term's id
   * @param strategy the instance
   * @param weight the weight
   * @param capabilities what it needs
   * @param taps what it reads
   * @param from first epoch (1-based)
   * @param until last epoch, 0 for the last
   * @return the bound term
   */
  static Term.Bound bound(
      String id,
      DistillationStrategy strategy,
      double weight,
      Set<Capability> capabilities,
      Taps taps,
      int from,
      int until) {
    StrategyProvider provider =
        new StrategyProvider() {
          @Override
          public String id() {
            return id;
          }

          @Override
          public Family family() {
            return Family.RESPONSE;
          }

          @Override
          public Set<Capability> capabilities() {
            return capabilities;
          }

          @Override
          public Taps taps(Params params) {
            return taps;
          }

          @Override
          public DistillationStrategy create(Params params) {
            return strategy;
          }
        };
    return new Term(new PluginRef(id, ParamSpec.EMPTY.defaults()), weight, from, until)
        .bind(provider);
  }

  /** {@link #bound} for a term active in every epoch, reading no taps. */
  static Term.Bound bound(
      String id, DistillationStrategy strategy, double weight, Set<Capability> capabilities) {
    return bound(id, strategy, weight, capabilities, Taps.NONE, 1, 0);
  }

  static TrainingConfig training(int epochs, double lr) {
    return new TrainingConfig(
        epochs,
        32,
        new OptimizerConfig("sgd", lr, 0.9, 0.9, 0.999, 1e-8, 0.0),
        new ScheduleConfig("constant", 1, 0.1, 0.0, 0));
  }

  static Student student(DataSplits data) {
    var p = REGISTRY.students().get("mlp");
    return p.create(
        ParamResolver.resolve("mlp", p.params(), Map.of("hidden", List.of(16)), "student"),
        new ModelShape(new ai.djl.ndarray.types.Shape(1, 28, 28), data.train().numClasses()));
  }

  /** A small {@code cnn} student: taps block1 (2, 14, 14), block2 (4, 7, 7), flatten, hidden1. */
  static Student cnnStudent(DataSplits data) {
    var p = REGISTRY.students().get("cnn");
    return p.create(
        ParamResolver.resolve(
            "cnn",
            p.params(),
            Map.of("channels", List.of(2, 4), "kernel", 3, "hidden", List.of(16)),
            "student"),
        new ModelShape(new ai.djl.ndarray.types.Shape(1, 28, 28), data.train().numClasses()));
  }

  /**
   * {@link #fakeTeacher} plus a spatial tap {@code block2} of shape (8, 7, 7): the image 4×4
   * average-pooled, scaled up in the channel of the sample's label (mod 8), plus seeded noise.
   */
  static TeacherSignal.Cached fakeSpatialTeacher(DataSplits data) {
    TeacherSignal.Cached flat = fakeTeacher(data);
    int n = data.train().size();
    float[] map = new float[n * 8 * 49];
    Random r = new Random(98);
    for (int i = 0; i < n; i++) {
      float[] img = data.train().rows(i, i + 1);
      int label = data.train().labels()[i];
      for (int c = 0; c < 8; c++) {
        for (int h = 0; h < 7; h++) {
          for (int w = 0; w < 7; w++) {
            float v = 0;
            for (int dh = 0; dh < 4; dh++) {
              for (int dw = 0; dw < 4; dw++) {
                v += img[(4 * h + dh) * 28 + 4 * w + dw] / 16f;
              }
            }
            float scale = c == label % 8 ? 3f : 1f;
            map[((i * 8 + c) * 7 + h) * 7 + w] = scale * v + (float) (0.05 * r.nextGaussian());
          }
        }
      }
    }
    return new TeacherSignal.Cached(
        flat.logits(),
        flat.classes(),
        Map.of("hidden1", flat.features().get("hidden1"), "block2", TeacherOutputCache.direct(map)),
        Map.of("block2", new ai.djl.ndarray.types.Shape(8, 7, 7)));
  }

  static Term.Bound term(String id, Map<String, Object> params) {
    StrategyProvider p = REGISTRY.strategies().get(id);
    return new Term(new PluginRef(id, ParamResolver.resolve(id, p.params(), params, id)), 1.0)
        .bind(p);
  }

  /** A plausible teacher: 4·one-hot(label) plus seeded noise, for every training sample. */
  static TeacherSignal.Cached fakeTeacher(DataSplits data) {
    int n = data.train().size();
    int c = data.train().numClasses();
    float[] logits = new float[n * c];
    Random r = new Random(99);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < c; k++) {
        logits[i * c + k] = (float) r.nextGaussian() + (k == data.train().labels()[i] ? 4 : 0);
      }
    }
    // A 24-wide "hidden1" embedding: the label's one-hot spread over the first 10 dims plus noise.
    int w = 24;
    float[] hidden = new float[n * w];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < w; k++) {
        hidden[i * w + k] =
            (float) (0.3 * r.nextGaussian()) + (k == data.train().labels()[i] ? 2f : 0f);
      }
    }
    return new TeacherSignal.Cached(
        logits, c, Map.of("hidden1", TeacherOutputCache.direct(hidden)));
  }

  static TrainResult kd(DataSplits data, long seed, int epochs) {
    return kd(data, seed, epochs, 0);
  }

  /**
   * KD training; with {@code gcEvery > 0} a full GC runs between the loss and the backward pass
   * every {@code gcEvery} steps, the moment DJL's freed scalars would corrupt the gradients.
   */
  static TrainResult kd(DataSplits data, long seed, int epochs, int gcEvery) {
    Term.Bound kd = term("hinton-kd", Map.of());
    return kd(data, seed, epochs, gcEvery <= 0 ? kd : withGc(kd, gcEvery));
  }

  /** KD training with the given hinton-kd term (e.g. wrapped). */
  static TrainResult kd(DataSplits data, long seed, int epochs, Term.Bound used) {
    return trainer(
            training(epochs, 0.05), seed, List.of(used), fakeTeacher(data), TrainingListener.NONE)
        .train(student(data), data, true, null, null);
  }

  /** Every metric of a run as exact bit patterns: the bench's comparison. */
  static String bits(TrainResult r) {
    return r.bits();
  }

  private static Term.Bound withGc(Term.Bound inner, int every) {
    return delegating(inner, step -> step % every == 0);
  }

  /**
   * The same strategy without its {@link DistillationStrategy#teacherTargets} hook, so that it
   * derives its targets from each batch's teacher outputs inside {@code loss}.
   */
  static Term.Bound targetsPerBatch(Term.Bound inner) {
    return delegating(inner, step -> false);
  }

  /**
   * A strategy that passes {@code prepare} and {@code loss} on to {@code inner} (nothing else: no
   * teacher targets) and runs a full GC after the loss at the steps {@code gcAt} accepts.
   */
  private static Term.Bound delegating(Term.Bound inner, java.util.function.LongPredicate gcAt) {
    DistillationStrategy wrapped = inner.create();
    DistillationStrategy s =
        new DistillationStrategy() {
          @Override
          public void prepare(StrategyContext context) {
            wrapped.prepare(context);
          }

          @Override
          public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
            NDArray l = wrapped.loss(student, teacher, batch);
            if (gcAt.test(batch.step())) {
              System.gc();
            }
            return l;
          }
        };
    return bound(inner.id(), s, inner.weight(), inner.capabilities(), inner.taps(), 1, 0);
  }

  /** A strategy that behaves like labels-only but returns NaN at one global step. */
  static Term.Bound nanAt(long badStep) {
    Term.Bound ce = term("labels-only", Map.of());
    DistillationStrategy inner = ce.create();
    List<NDArray> nan = new ArrayList<>();
    DistillationStrategy s =
        new DistillationStrategy() {
          @Override
          public void prepare(StrategyContext context) {
            inner.prepare(context);
            nan.add(context.manager().create(Float.NaN));
          }

          @Override
          public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
            NDArray l = inner.loss(student, teacher, batch);
            return batch.step() == badStep ? l.mul(nan.get(0)) : l;
          }
        };
    return bound("nan-at-" + badStep, s, 1.0, ce.capabilities());
  }

  /** Entry point for the garbage-collection-pressure child JVM: prints {@link #bits}. */
  public static void main(String[] args) throws IOException {
    DataSplits data = data(Path.of(args[0]));
    System.out.println("BITS " + bits(kd(data, Long.parseLong(args[1]), 2)));
  }
}
