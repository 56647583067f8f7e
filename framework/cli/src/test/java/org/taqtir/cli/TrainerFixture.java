package org.taqtir.cli;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.taqtir.api.BatchContext;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.ModelShape;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyProvider;
import org.taqtir.api.Student;
import org.taqtir.core.config.OptimizerConfig;
import org.taqtir.core.config.ScheduleConfig;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.FashionMnist;
import org.taqtir.core.registry.ParamResolver;
import org.taqtir.core.registry.PluginRegistry;
import org.taqtir.core.teacher.TeacherOutputCache;
import org.taqtir.core.train.DistillationTrainer;
import org.taqtir.core.train.TeacherSignal;
import org.taqtir.core.train.TrainResult;
import org.taqtir.core.train.TrainTerm;
import org.taqtir.core.train.TrainingListener;

/** Runs the real trainer with the real plugins on synthetic data; used in- and out-of-process. */
final class TrainerFixture {

  static final PluginRegistry REGISTRY = PluginRegistry.load(TrainerFixture.class.getClassLoader());

  private TrainerFixture() {}

  static DataSplits data(Path dir) throws IOException {
    return FashionMnist.load(TinyStudy.data(dir), 0, 0, 200, 3);
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

  static TrainTerm term(String id, Map<String, Object> params) {
    StrategyProvider p = REGISTRY.strategies().get(id);
    return new TrainTerm(
        id, p.create(ParamResolver.resolve(id, p.params(), params, id)), 1.0, p.capabilities());
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
    TrainTerm kd = term("hinton-kd", Map.of());
    return kd(data, seed, epochs, gcEvery <= 0 ? kd : withGc(kd, gcEvery));
  }

  /** KD training with the given hinton-kd term (e.g. wrapped). */
  static TrainResult kd(DataSplits data, long seed, int epochs, TrainTerm used) {
    return new DistillationTrainer(
            training(epochs, 0.05), seed, List.of(used), fakeTeacher(data), TrainingListener.NONE)
        .train(student(data), data, true, null, null);
  }

  /** Every metric of a run as exact bit patterns: the bench's comparison. */
  static String bits(TrainResult r) {
    return BenchCommand.bits(r);
  }

  private static TrainTerm withGc(TrainTerm inner, int every) {
    return delegating(inner, step -> step % every == 0);
  }

  /**
   * The same strategy without its {@link DistillationStrategy#teacherTargets} hook, so that it
   * derives its targets from each batch's teacher outputs inside {@code loss}.
   */
  static TrainTerm targetsPerBatch(TrainTerm inner) {
    return delegating(inner, step -> false);
  }

  /**
   * A strategy that passes {@code prepare} and {@code loss} on to {@code inner} (nothing else: no
   * teacher targets) and runs a full GC after the loss at the steps {@code gcAt} accepts.
   */
  private static TrainTerm delegating(TrainTerm inner, java.util.function.LongPredicate gcAt) {
    DistillationStrategy s =
        new DistillationStrategy() {
          @Override
          public void prepare(StrategyContext context) {
            inner.strategy().prepare(context);
          }

          @Override
          public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
            NDArray l = inner.strategy().loss(student, teacher, batch);
            if (gcAt.test(batch.step())) {
              System.gc();
            }
            return l;
          }
        };
    return new TrainTerm(inner.id(), s, inner.weight(), inner.capabilities());
  }

  /** A strategy that behaves like labels-only but returns NaN at one global step. */
  static TrainTerm nanAt(long badStep) {
    TrainTerm ce = term("labels-only", Map.of());
    List<NDArray> nan = new ArrayList<>();
    DistillationStrategy s =
        new DistillationStrategy() {
          @Override
          public void prepare(StrategyContext context) {
            ce.strategy().prepare(context);
            nan.add(context.manager().create(Float.NaN));
          }

          @Override
          public NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
            NDArray l = ce.strategy().loss(student, teacher, batch);
            return batch.step() == badStep ? l.mul(nan.get(0)) : l;
          }
        };
    return new TrainTerm("nan-at-" + badStep, s, 1.0, ce.capabilities());
  }

  /** Entry point for the garbage-collection-pressure child JVM: prints {@link #bits}. */
  public static void main(String[] args) throws IOException {
    DataSplits data = data(Path.of(args[0]));
    System.out.println("BITS " + bits(kd(data, Long.parseLong(args[1]), 2)));
  }
}
