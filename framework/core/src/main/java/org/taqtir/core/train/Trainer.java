package org.taqtir.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taqtir.api.BatchContext;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.Student;
import org.taqtir.core.config.Term;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.data.Samples;
import org.taqtir.core.data.Shuffle;
import org.taqtir.core.run.EpochMetrics;
import org.taqtir.core.run.TrainResult;

/**
 * The training loop, the same for every task and run: a weighted sum of strategy terms, optimised
 * over the training split for a number of epochs, validated after each. What varies is a {@link
 * TrainingListener} on its list: best-epoch selection, checkpoints, the divergence guard and the
 * trace are built in; progress and tracking come from the caller.
 *
 * <p>Per run: the training split lives in one native array; each epoch gathers its targets (and the
 * cached teacher outputs) by a seeded permutation, and each batch is a slice of it in its own
 * sub-manager, so no direct buffer is allocated per batch. Each step runs the student inside a
 * gradient collector, back-propagates, lets the listeners see the loss (the guard stops a
 * non-finite one before any update) and applies {@link ParamOptimizer}.
 *
 * <p>Determinism: the engine seed (initialisation, dropout) and the data order both come from the
 * run's seed, and the engine is reseeded from (seed, epoch) at every epoch, so equal seeds give
 * bitwise-equal metrics on CPU and a resumed run equals an uninterrupted one.
 */
public final class Trainer {

  private final TrainingConfig config;
  private final long seed;
  private final List<Term.Bound> terms;
  private final TeacherSignal teacher;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private final NativeOps ops = NativeOps.forEngine();
  private Selection selection = Selection.of(Selection.VAL_ACC);
  private Path checkpoint;
  private BatchRewriter rewriter;

  /**
   * Creates a trainer.
   *
   * @param config epochs, batch size, optimiser and schedule
   * @param seed the run's seed
   * @param terms the loss terms, at least one
   * @param teacher where teacher outputs come from; {@code null} when no term needs the teacher
   */
  public Trainer(TrainingConfig config, long seed, List<Term.Bound> terms, TeacherSignal teacher) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("a student needs at least one loss term");
    }
    if (teacher == null && terms.stream().anyMatch(Term.Bound::needsTeacher)) {
      throw new IllegalArgumentException("a strategy needs teacher outputs but none were given");
    }
    this.config = config;
    this.seed = seed;
    this.terms = List.copyOf(terms);
    this.teacher = teacher;
  }

  /**
   * Adds listeners (progress, tracking, a trace), called after the loop's own for each event.
   *
   * @param more the listeners; nulls are ignored
   * @return this trainer
   */
  public Trainer listeners(TrainingListener... more) {
    for (TrainingListener l : more) {
      if (l != null) {
        listeners.add(l);
      }
    }
    return this;
  }

  /**
   * The one-hot labels of a class split; a negative target (an unlabelled sample, {@code
   * data.labelled}) gets an all-zero row, so cross-entropy with it is 0.
   */
  static NDArray oneHot(NDArray y, int classes) {
    try (NDArray known = y.gte(0);
        NDArray everyLabel = known.all()) {
      if (everyLabel.getBoolean()) {
        return y.oneHot(classes);
      }
      try (NDArray clamped = y.maximum(0);
          NDArray dense = clamped.oneHot(classes);
          NDArray mask = known.toType(DataType.FLOAT32, false).expandDims(1)) {
        return dense.mul(mask);
      }
    }
  }

  /**
   * Selects the kept epoch by a validation metric (default: validation accuracy).
   *
   * @param selection the metric and its direction
   * @return this trainer
   */
  public Trainer select(Selection selection) {
    this.selection = selection;
    return this;
  }

  /**
   * Saves a checkpoint after every epoch into a file, and continues from it when it already exists.
   *
   * @param file e.g. {@code <run dir>/checkpoint.bin}; null for none
   * @return this trainer
   */
  public Trainer checkpoint(Path file) {
    this.checkpoint = file;
    return this;
  }

  /**
   * Rewrites some batches before their step (on-policy distillation); the teacher, if any, must
   * then be live.
   *
   * @param rewriter the rewriter; null for none
   * @return this trainer
   */
  public Trainer rewriter(BatchRewriter rewriter) {
    if (rewriter != null && teacher instanceof TeacherSignal.Cached) {
      throw new IllegalArgumentException(
          "rewritten batches need the teacher run on them: give a live teacher signal");
    }
    this.rewriter = rewriter;
    return this;
  }

  /**
   * Trains a student and leaves the selected epoch's weights in its model.
   *
   * @param student the architecture (its block is initialised here)
   * @param name the model's name (its saved weights are {@code <name>-0000.params})
   * @param train the training split
   * @param validator scores the model after every epoch
   * @return the trained model and its training record; the caller closes it
   */
  public Fit fit(Student student, String name, Samples train, Validator validator) {
    StudentModel model = StudentModel.initialise(student, name, train.sampleDims(), seed);
    try (Objective objective = new Objective(terms)) {
      return new Fit(model, loop(model, objective, train, validator));
    } catch (RuntimeException | Error e) {
      model.close();
      throw e;
    }
  }

  private TrainingRun loop(
      StudentModel model, Objective objective, Samples train, Validator validator) {
    // What only training needs (the resident training split, the teacher's outputs, the
    // optimiser's moments, the strategies' constants) goes, freed when the loop ends.
    try (NDManager runManager = model.manager().newSubManager()) {
      return loop(model, objective, train, validator, runManager);
    }
  }

  private TrainingRun loop(
      StudentModel model,
      Objective objective,
      Samples train,
      Validator validator,
      NDManager runManager) {
    int n = train.size();
    int batch = Math.min(config.batchSize(), n);
    int steps = (n + batch - 1) / batch;
    List<NDArray> trainable = new ArrayList<>();
    for (Parameter p : model.parameters()) {
      p.getArray().setRequiresGradient(true);
      trainable.add(p.getArray());
    }
    Set<String> studentTaps = objective.studentTaps();
    checkTaps(model.student(), studentTaps);
    NDArray lossSeed = runManager.create(1f);
    NDArray inputs = train.residentInputs(runManager);
    Jitter jitter =
        config.jitter() > 0
            ? new Jitter(config.jitter(), train.sampleDims(), inputs.getDataType())
            : null;
    NDArray y = runManager.create(train.targets());
    boolean classes = train.targetWidth() == 1;
    ResidentRows labels =
        new ResidentRows(classes ? y : y.reshape(n, train.targetWidth()), ops, true);
    ResidentRows oneHot =
        classes ? new ResidentRows(oneHot(y, train.numClasses()), ops, true) : null;
    TeacherFeed feed =
        objective.needsTeacher()
            ? TeacherFeed.open(teacher, objective.teacherTaps(), n, runManager, ops)
            : null;
    StrategyContext ctx =
        new StrategyContext(
            runManager,
            train.numClasses(),
            batch,
            config.epochs(),
            studentTapShapes(model, studentTaps),
            feed == null
                ? Map.of()
                : feed.tapShapes(
                    () ->
                        model.decode(
                            StudentModel.select(inputs, NDIndex.sliceAxis(0, 0, 1), runManager))));
    objective.prepare(ctx, trainable);
    if (feed != null) {
      feed.cacheTargets(objective, runManager, n, ops);
    }
    ParamOptimizer optimizer = new ParamOptimizer(config.optimizer(), trainable, runManager, ops);
    TrainingRun run =
        new TrainingRun(seed, config, n, steps, model, trainable, optimizer, objective, selection);
    List<TrainingListener> all = new ArrayList<>();
    all.addAll(listeners.stream().filter(l -> l instanceof TrainingTrace).toList());
    all.addAll(listeners.stream().filter(l -> !(l instanceof TrainingTrace)).toList());
    all.add(new DivergenceGuard());
    all.add(new BestEpoch());
    if (checkpoint != null) {
      all.add(new Checkpointing(checkpoint));
    }
    run.listeners(all);
    all.forEach(l -> l.trainingStarted(run));

    for (int epoch = run.nextEpoch(); epoch < config.epochs() && !run.stopped(); epoch++) {
      run.setNextEpoch(epoch);
      if (epoch > 0) {
        // The engine's generator (dropout) cannot be saved: restart it from (seed, epoch) at every
        // epoch so a run resumed from a checkpoint draws what an uninterrupted one does.
        Engine.getInstance().setRandomSeed(epochSeed(seed, epoch));
      }
      double lr = config.schedule().lr(config.optimizer().lr(), epoch, config.epochs());
      optimizer.setLearningRate(lr);
      for (TrainingListener l : all) {
        l.epochStarted(epoch, steps);
      }
      long start = System.nanoTime();
      double lossSum = 0;
      try (NDManager epochManager = runManager.newSubManager()) {
        int[] permutation = Shuffle.permutation(n, run.order());
        for (TrainingListener l : all) {
          l.orderDrawn(run, permutation);
        }
        // int64: the row indices BatchContext.indices() documents.
        NDArray perm = epochManager.create(Arrays.stream(permutation).asLongStream().toArray());
        labels.startEpoch(perm, epochManager);
        if (oneHot != null) {
          oneHot.startEpoch(perm, epochManager);
        }
        if (feed != null) {
          feed.startEpoch(perm, epochManager);
        }
        for (int s = 0; s < steps; s++) {
          int from = s * batch;
          int to = Math.min(n, from + batch);
          double loss;
          try (NDManager bm = epochManager.newSubManager()) {
            NDIndex slice = NDIndex.sliceAxis(0, from, to);
            NDArray rows = StudentModel.select(perm, slice, bm);
            NDArray raw = ops.gatherRows(inputs, rows);
            raw.attach(bm);
            if (jitter != null) {
              // drawn from (seed, epoch, step): a resumed run shifts as an uninterrupted one
              raw =
                  jitter.apply(
                      raw,
                      new java.util.SplittableRandom(((long) epochSeed(seed, epoch) << 32) ^ s),
                      bm);
            }
            NDArray bx = model.decode(raw);
            NDArray by = labels.batch(slice, rows, bm);
            if (rewriter != null) {
              BatchRewriter.Batch b =
                  rewriter.rewrite(epoch, s, bx, by, x -> model.forward(x, false).get(0), bm);
              if (b != null) {
                bx = b.input();
                by = b.labels();
              }
            }
            List<StepOutputs> teacherOut =
                feed == null
                    ? java.util.Collections.nCopies(objective.size(), null)
                    : feed.batch(objective, bx, slice, rows, bm);
            BatchContext bc =
                new BatchContext(
                    bm,
                    by,
                    oneHot == null ? null : oneHot.batch(slice, rows, bm),
                    rows,
                    epoch,
                    run.globalStep());
            loss = step(model, objective, bx, teacherOut, bc, studentTaps, lossSeed);
          }
          for (TrainingListener l : all) {
            l.beforeUpdate(run, loss);
          }
          optimizer.step();
          objective.afterStep();
          run.setLastFiniteLoss(loss);
          lossSum += loss;
          run.setGlobalStep(run.globalStep() + 1);
          double secs = (System.nanoTime() - start) / 1e9;
          for (TrainingListener l : all) {
            l.stepDone(epoch, s, loss, to / Math.max(secs, 1e-9));
          }
        }
      } catch (DivergedException e) {
        run.stop(e.getMessage());
        break;
      }
      double secs = (System.nanoTime() - start) / 1e9;
      run.setTrainSeconds(run.trainSeconds() + secs);
      Validator.Scores v = validator.validate(model);
      EpochMetrics m =
          new EpochMetrics(
              epoch, lossSum / steps, v.loss(), v.accuracy(), lr, secs, n / secs, v.extras());
      run.history().add(m);
      for (TrainingListener l : all) {
        l.epochEnded(run, m);
      }
    }
    if (run.bestWeights() != null) {
      model.restore(run.bestWeights());
    }
    for (TrainingListener l : all) {
      l.trainingFinished(run);
    }
    return run;
  }

  /** One forward/backward; returns the loss (read after backward, before the update). */
  private double step(
      StudentModel model,
      Objective objective,
      NDArray bx,
      List<StepOutputs> teacherOut,
      BatchContext bc,
      Set<String> studentTaps,
      NDArray lossSeed) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList out = model.forward(bx, true);
      StepOutputs so = outputs(model.student(), out, studentTaps);
      NDArray total = objective.loss(so, teacherOut, bc);
      ops.backward(total, gc, lossSeed);
      // toFloatArray, not getFloat: getFloat took 4 µs a call, toFloatArray 0.3 µs (measured).
      return total.toFloatArray()[0];
    }
  }

  private static StepOutputs outputs(Student student, NDList out, Set<String> taps) {
    Map<String, NDArray> features = new HashMap<>();
    List<String> names = student.taps();
    for (String tap : taps) {
      features.put(tap, out.get(names.indexOf(tap) + 1));
    }
    return new StepOutputs(out.get(0), features);
  }

  private static Map<String, Shape> studentTapShapes(StudentModel model, Set<String> taps) {
    Shape[] out =
        model
            .student()
            .block()
            .getOutputShapes(new Shape[] {StudentModel.batchShape(1, model.sampleShape())});
    Map<String, Shape> shapes = new HashMap<>();
    for (String tap : taps) {
      shapes.put(tap, out[model.student().taps().indexOf(tap) + 1].slice(1));
    }
    return shapes;
  }

  private static void checkTaps(Student student, Set<String> taps) {
    for (String tap : taps) {
      if (!student.taps().contains(tap)) {
        throw new IllegalArgumentException(
            "student " + student.describe() + " has no tap '" + tap + "'; taps: " + student.taps());
      }
    }
  }

  /** A distinct engine seed per (run seed, epoch), from SplitMix64's finaliser. */
  static int epochSeed(long seed, int epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) (z ^ (z >>> 31));
  }

  /**
   * A trained student and its training record; owns the model until closed.
   *
   * @param model the model, holding the selected epoch's weights
   * @param run the loop's final state
   */
  public record Fit(StudentModel model, TrainingRun run) implements AutoCloseable {

    /**
     * Tells the loop's listeners what the task measured on the selected weights (e.g. the trace
     * records the test accuracy).
     *
     * @param metrics the test metrics by key
     */
    public void evaluated(Map<String, Double> metrics) {
      for (TrainingListener l : runListeners()) {
        l.evaluated(run, metrics);
      }
    }

    private List<TrainingListener> runListeners() {
      return run.listeners();
    }

    /**
     * Returns the training record as a result, without a test evaluation ({@link
     * TrainResult#evaluated} adds one).
     *
     * @return history, selected epoch, parameter count, timing and the error if the run stopped
     */
    public TrainResult result() {
      long trained = run.history().size() * (long) run.samples();
      double secs = run.trainSeconds();
      return new TrainResult(
          run.history(),
          run.bestEpoch(),
          run.bestEpoch() < 0 ? Double.NaN : run.history().get(run.bestEpoch()).valAcc(),
          Double.NaN,
          model.parameterCount(),
          secs,
          secs > 0 ? trained / secs : 0,
          run.error(),
          Map.of(),
          null);
    }

    @Override
    public void close() {
      model.close();
    }
  }
}
