package org.taqtir.core.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.taqtir.api.BatchContext;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.Student;
import org.taqtir.core.config.TrainingConfig;
import org.taqtir.core.data.DataSplits;
import org.taqtir.core.data.Dataset;
import org.taqtir.core.data.Shuffle;
import org.taqtir.core.eval.Latency;
import org.taqtir.core.eval.Metrics;

/**
 * Trains one student with a weighted sum of strategy terms.
 *
 * <p>Per run: the training split lives in one native array; each epoch gathers it (and the cached
 * teacher outputs) by a seeded permutation, and each batch is a slice view in its own sub-manager,
 * so no direct buffer is allocated per batch. Each step runs the student inside a gradient
 * collector, checks the loss is finite (else stops with {@link DivergedException} before any
 * update), back-propagates and applies {@link ParamOptimizer}. After every epoch the validation
 * split selects the best weights, which are restored for the test evaluation and saved.
 *
 * <p>Determinism: DJL's engine seed (initialisation, dropout) and the data order both come from the
 * run's seed, so equal seeds give bitwise-equal metrics on CPU.
 */
public final class DistillationTrainer {

  private static final int EVAL_CHUNK = 1000;

  private final TrainingConfig config;
  private final long seed;
  private final List<TrainTerm> terms;
  private final TeacherSignal teacher;
  private final TrainingListener listener;
  private NDArray pixelScale;
  // d(loss)/d(loss) = 1, made once per run: GradientCollector.backward allocates a ones array
  // of the loss's shape on every call.
  private NDArray lossSeed;
  private Path checkpoint;

  /**
   * Creates a trainer.
   *
   * @param config epochs, batch size, optimiser and schedule
   * @param seed the run's seed
   * @param terms the loss terms, at least one
   * @param teacher where teacher outputs come from; {@code null} when no term needs the teacher
   * @param listener progress receiver
   */
  public DistillationTrainer(
      TrainingConfig config,
      long seed,
      List<TrainTerm> terms,
      TeacherSignal teacher,
      TrainingListener listener) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("a student needs at least one loss term");
    }
    if (teacher == null && terms.stream().anyMatch(TrainTerm::needsTeacher)) {
      throw new IllegalArgumentException("a strategy needs teacher outputs but none were given");
    }
    this.config = config;
    this.seed = seed;
    this.terms = List.copyOf(terms);
    this.teacher = teacher;
    this.listener = listener == null ? TrainingListener.NONE : listener;
  }

  /**
   * Saves a checkpoint after every epoch into a file, and continues from it when it already exists
   * (a run that was killed): the resumed run takes no step twice and skips none, and ends bitwise
   * equal to a run that was never interrupted. Runs with a {@link
   * org.taqtir.api.Capability#STATEFUL} strategy that cannot save its state write no checkpoint.
   *
   * @param file the checkpoint, e.g. {@code <run dir>/checkpoint.bin}; null for none
   * @return this trainer
   */
  public DistillationTrainer checkpoint(Path file) {
    this.checkpoint = file;
    return this;
  }

  /**
   * Trains the student and evaluates its best epoch.
   *
   * @param student the architecture to train (its block is initialised here)
   * @param data the splits; the test split is read only when {@code evaluateTest}
   * @param evaluateTest whether to evaluate the selected weights on the test split
   * @param saveDir where to save the best weights as {@code <saveName>-0000.params}, or null
   * @param saveName DJL model name of the saved weights
   * @return the metrics; a diverged run returns its history so far and its error
   */
  public TrainResult train(
      Student student, DataSplits data, boolean evaluateTest, Path saveDir, String saveName) {
    return train(student, data, evaluateTest, ExtraEvaluation.NONE, saveDir, saveName);
  }

  /**
   * Trains the student, evaluates its best epoch, and computes the extra outputs asked for.
   *
   * @param student the architecture to train (its block is initialised here)
   * @param data the splits; the test split is read only when {@code evaluateTest}
   * @param evaluateTest whether to evaluate the selected weights on the test split
   * @param extra shifted sets and latency to evaluate with the selected weights
   * @param saveDir where to save the best weights as {@code <saveName>-0000.params}, or null
   * @param saveName DJL model name of the saved weights
   * @return the metrics; a diverged run returns its history so far and its error
   */
  public TrainResult train(
      Student student,
      DataSplits data,
      boolean evaluateTest,
      ExtraEvaluation extra,
      Path saveDir,
      String saveName) {
    Dataset train = data.train();
    int n = train.size();
    int classes = train.numClasses();
    int batch = Math.min(config.batchSize(), n);
    int steps = (n + batch - 1) / batch;
    Engine.getInstance().setRandomSeed((int) seed);
    try (Model model = Model.newInstance(saveName == null ? "student" : saveName)) {
      model.setBlock(student.block());
      NDManager root = model.getNDManager();
      Shape sample = new Shape(train.sampleDims());
      student.block().initialize(root, DataType.FLOAT32, batchShape(1, sample));
      List<Parameter> params = new ArrayList<>();
      long paramCount = 0;
      for (var p : student.block().getParameters().values()) {
        p.getArray().setRequiresGradient(true);
        params.add(p);
        paramCount += p.getArray().size();
      }
      ParameterStore store = new ParameterStore(root, false);
      Set<String> studentTaps = new LinkedHashSet<>();
      Set<String> teacherTaps = new LinkedHashSet<>();
      for (TrainTerm t : terms) {
        studentTaps.addAll(t.strategy().studentTaps());
        teacherTaps.addAll(t.strategy().teacherTaps());
      }
      checkTaps(student, studentTaps);
      boolean needTeacher = terms.stream().anyMatch(TrainTerm::needsTeacher);

      try (NDManager runManager = root.newSubManager()) {
        pixelScale = runManager.create(255f);
        lossSeed = runManager.create(1f);
        // One row per sample, (N, features): batches are gathered from it row by row and shaped.
        NDArray xRows = resident(runManager, train, new Shape(train.featureSize()));
        NDArray y = runManager.create(train.labels());
        NDArray oneHot = y.oneHot(classes);
        NDArray yRows = y.reshape(n, 1);
        Map<String, NDArray> cached = residentTeacher(runManager, n, classes, needTeacher);
        NDArray valX = resident(runManager, data.validation(), sample);
        StrategyContext ctx =
            new StrategyContext(
                runManager,
                classes,
                batch,
                config.epochs(),
                studentTapShapes(student, sample, studentTaps),
                teacherTapShapes(runManager, train, sample, n, teacherTaps));
        List<NDArray> trainable = new ArrayList<>();
        for (Parameter p : params) {
          trainable.add(p.getArray());
        }
        for (TrainTerm t : terms) {
          t.strategy().prepare(ctx);
          for (NDArray a : t.strategy().trainableParameters()) {
            a.setRequiresGradient(true);
            trainable.add(a);
          }
        }
        List<Map<String, String>> derived = cacheTeacherTargets(cached, runManager, n);
        CachedRows cachedRows = new CachedRows(cached);
        NDArray[] weights = new NDArray[terms.size()];
        for (int i = 0; i < terms.size(); i++) {
          weights[i] =
              terms.get(i).weight() == 1 ? null : runManager.create((float) terms.get(i).weight());
        }
        ParamOptimizer optimizer = new ParamOptimizer(config.optimizer(), trainable, runManager);
        TrainingTrace trace = TrainingTrace.start(saveName, data);
        if (trace != null) {
          trace.initial(trainable);
        }
        SplittableRandom order = new SplittableRandom(seed);
        List<EpochMetrics> history = new ArrayList<>();
        int bestEpoch = -1;
        double bestVal = Double.NEGATIVE_INFINITY;
        float[][] bestWeights = null;
        double trainSeconds = 0;
        long globalStep = 0;
        double lastFinite = Double.NaN;
        String error = null;
        int firstEpoch = 0;
        boolean checkpointing = checkpoint != null;
        if (checkpointing && Files.isRegularFile(checkpoint)) {
          TrainingCheckpoint c = TrainingCheckpoint.read(checkpoint);
          checkResumable(c, trainable, optimizer.moments(), params.size());
          load(trainable, c.trainable(), runManager);
          load(optimizer.moments(), c.moments(), runManager);
          optimizer.setSteps(c.optimizerSteps());
          for (int i = 0; i < terms.size(); i++) {
            if (c.strategyStates().get(i) != null) {
              terms.get(i).strategy().restoreState(c.strategyStates().get(i));
            }
          }
          history.addAll(c.history());
          bestEpoch = c.bestEpoch();
          bestVal = c.bestVal();
          bestWeights = c.bestWeights();
          trainSeconds = c.trainSeconds();
          globalStep = c.globalStep();
          lastFinite = c.lastFiniteLoss();
          // The data order is the seed's stream: replay the finished epochs' permutations.
          for (int e = 0; e < c.epochs(); e++) {
            Shuffle.permutation(n, order);
          }
          firstEpoch = c.epochs();
        }

        for (int epoch = firstEpoch; epoch < config.epochs(); epoch++) {
          if (epoch > 0) {
            // The engine's generator (dropout) cannot be saved: restart it from (seed, epoch) at
            // every epoch so a run resumed from a checkpoint draws what an uninterrupted one does.
            Engine.getInstance().setRandomSeed(epochSeed(seed, epoch));
          }
          double lr = config.schedule().lr(config.optimizer().lr(), epoch, config.epochs());
          optimizer.setLearningRate(lr);
          listener.epochStarted(epoch, steps);
          long start = System.nanoTime();
          double lossSum = 0;
          try (NDManager epochManager = runManager.newSubManager()) {
            int[] permutation = Shuffle.permutation(n, order);
            if (trace != null) {
              trace.permutation(permutation);
            }
            // int64: the row indices BatchContext.indices() documents.
            NDArray perm = epochManager.create(Arrays.stream(permutation).asLongStream().toArray());
            // Row gathers (index_select), owned by the epoch's manager: advanced indexing
            // (get(NDIndex("{}", perm))) moved one element at a time, 5-7 ms vs 1-1.8 ms for the
            // (55k, 10) one-hot labels (measured).
            NDArray ey = gatherRows(yRows, perm, new Shape(), epochManager);
            NDArray eh = gatherRows(oneHot, perm, new Shape(classes), epochManager);
            // Labels are gathered for the whole epoch, images batch by batch (as are wide cached
            // outputs, see CachedRows).
            cachedRows.startEpoch(perm, epochManager);
            for (int s = 0; s < steps; s++) {
              int from = s * batch;
              int to = Math.min(n, from + batch);
              double loss;
              try (NDManager bm = epochManager.newSubManager()) {
                NDIndex slice = NDIndex.sliceAxis(0, from, to);
                NDArray rows = select(perm, slice, bm);
                NDArray bx = decode(gatherRows(xRows, rows, sample, bm));
                StepOutputs teacherOut =
                    needTeacher
                        ? teacherOutputs(cachedRows, slice, rows, bx, teacherTaps, bm)
                        : null;
                BatchContext bc =
                    new BatchContext(
                        bm, select(ey, slice, bm), select(eh, slice, bm), rows, epoch, globalStep);
                List<StepOutputs> teacherPerTerm =
                    perTerm(teacherOut, derived, cachedRows, slice, rows, bm);
                loss = step(store, student, bx, teacherPerTerm, bc, studentTaps, weights);
              }
              if (!Double.isFinite(loss)) {
                throw new DivergedException(epoch, globalStep, loss, lastFinite);
              }
              optimizer.step();
              for (TrainTerm t : terms) {
                t.strategy().afterStep();
              }
              lastFinite = loss;
              lossSum += loss;
              globalStep++;
              double secs = (System.nanoTime() - start) / 1e9;
              listener.stepDone(epoch, s, loss, to / Math.max(secs, 1e-9));
            }
          } catch (DivergedException e) {
            error = e.getMessage();
            break;
          }
          double secs = (System.nanoTime() - start) / 1e9;
          trainSeconds += secs;
          float[] valLogits = logits(store, student, valX, data.validation().size(), classes);
          double valAcc = Metrics.accuracy(valLogits, data.validation().labels(), classes);
          double valLoss = Metrics.crossEntropy(valLogits, data.validation().labels(), classes);
          EpochMetrics m =
              new EpochMetrics(epoch, lossSum / steps, valLoss, valAcc, lr, secs, n / secs);
          history.add(m);
          if (trace != null) {
            trace.epoch(m);
          }
          listener.epochDone(m);
          if (!Double.isFinite(valLoss)) {
            error = "validation loss is " + valLoss + " after epoch " + (epoch + 1) + "; stopped";
            break;
          }
          if (valAcc > bestVal) {
            bestVal = valAcc;
            bestEpoch = epoch;
            bestWeights = snapshot(params);
          }
          if (checkpointing) {
            long t0 = System.nanoTime();
            List<byte[]> states = new ArrayList<>();
            for (TrainTerm t : terms) {
              byte[] state = t.strategy().checkpointState();
              if (state == null && t.capabilities().contains(org.taqtir.api.Capability.STATEFUL)) {
                checkpointing = false;
              }
              states.add(state);
            }
            if (checkpointing) {
              new TrainingCheckpoint(
                      seed,
                      epoch + 1,
                      globalStep,
                      optimizer.steps(),
                      trainSeconds,
                      lastFinite,
                      bestEpoch,
                      bestVal,
                      values(trainable),
                      values(optimizer.moments()),
                      bestWeights,
                      states,
                      List.copyOf(history))
                  .write(checkpoint);
              listener.checkpointSaved(epoch, checkpoint, (System.nanoTime() - t0) / 1e9);
            }
          }
        }

        double testAcc = Double.NaN;
        float[] testLogits = new float[0];
        ExtraEvaluation.Outputs extras = null;
        if (bestWeights != null) {
          restore(params, bestWeights, root);
          if (evaluateTest) {
            NDArray testX = resident(runManager, data.test(), sample);
            testLogits = logits(store, student, testX, data.test().size(), classes);
            testAcc = Metrics.accuracy(testLogits, data.test().labels(), classes);
            extras = extra(store, student, runManager, valX, data, sample, classes, extra);
          }
          if (saveDir != null) {
            save(model, saveDir, saveName);
          }
        }
        if (trace != null) {
          trace.finish(trainable, bestEpoch, testAcc);
        }
        long trained = history.size() * (long) n;
        return new TrainResult(
            history,
            bestEpoch,
            bestEpoch < 0 ? Double.NaN : bestVal,
            testAcc,
            testLogits,
            paramCount,
            trainSeconds,
            trainSeconds > 0 ? trained / trainSeconds : 0,
            error,
            extras);
      } finally {
        for (TrainTerm t : terms) {
          t.strategy().close();
        }
      }
    }
  }

  /**
   * Evaluates saved weights without training ({@code taqtir evaluate}): loads {@code
   * <name>-0000.params} from a directory into the student, then computes what {@link #train}
   * computes for the selected epoch: test logits, validation and shifted-set logits, latency. The
   * same weights give bitwise the same logits as when they were trained.
   *
   * @param student the architecture the weights were saved from (its block is loaded here)
   * @param data the splits; validation and test are read
   * @param extra shifted sets and latency to evaluate
   * @param loadDir the directory of the saved weights
   * @param name DJL model name of the saved weights
   * @param history the original run's per-epoch metrics, kept in the result
   * @return the result; the best epoch is the first with the highest recorded validation accuracy,
   *     and the validation accuracy is measured again from the loaded weights
   * @throws IllegalArgumentException when the weights cannot be loaded into this architecture
   */
  public TrainResult evaluateSaved(
      Student student,
      DataSplits data,
      ExtraEvaluation extra,
      Path loadDir,
      String name,
      List<EpochMetrics> history) {
    int classes = data.train().numClasses();
    Engine.getInstance().setRandomSeed((int) seed);
    try (Model model = Model.newInstance(name)) {
      model.setBlock(student.block());
      try {
        model.load(loadDir, name);
      } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot load the student weights "
                + loadDir.resolve(name + "-0000.params")
                + " into "
                + student.describe()
                + ": "
                + e.getMessage(),
            e);
      }
      long paramCount = 0;
      for (var p : student.block().getParameters().values()) {
        paramCount += p.getArray().size();
      }
      ParameterStore store = new ParameterStore(model.getNDManager(), false);
      Shape sample = new Shape(data.train().sampleDims());
      try (NDManager runManager = model.getNDManager().newSubManager()) {
        pixelScale = runManager.create(255f);
        NDArray valX = resident(runManager, data.validation(), sample);
        NDArray testX = resident(runManager, data.test(), sample);
        float[] testLogits = logits(store, student, testX, data.test().size(), classes);
        ExtraEvaluation.Outputs extras =
            extra(store, student, runManager, valX, data, sample, classes, extra);
        int best = -1;
        double trainSeconds = 0;
        for (int e = 0; e < history.size(); e++) {
          trainSeconds += history.get(e).seconds();
          if (best < 0 || history.get(e).valAcc() > history.get(best).valAcc()) {
            best = e;
          }
        }
        long trained = history.size() * (long) data.train().size();
        return new TrainResult(
            history,
            best,
            Metrics.accuracy(extras.valLogits(), data.validation().labels(), classes),
            Metrics.accuracy(testLogits, data.test().labels(), classes),
            testLogits,
            paramCount,
            trainSeconds,
            trainSeconds > 0 ? trained / trainSeconds : 0,
            null,
            extras);
      }
    }
  }

  /** One forward/backward; returns the loss (read after backward, before the update). */
  private double step(
      ParameterStore store,
      Student student,
      NDArray bx,
      List<StepOutputs> teacherOut,
      BatchContext bc,
      Set<String> studentTaps,
      NDArray[] weights) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDList out = student.block().forward(store, new NDList(bx), true);
      StepOutputs so = outputs(student, out, studentTaps);
      NDArray total = null;
      for (int i = 0; i < terms.size(); i++) {
        TrainTerm t = terms.get(i);
        if (!t.activeIn(bc.epoch())) {
          continue;
        }
        NDArray term = t.strategy().loss(so, teacherOut.get(i), bc);
        if (weights[i] != null) {
          term = term.mul(weights[i]);
        }
        total = total == null ? term : total.add(term);
      }
      if (total == null) {
        throw new IllegalStateException(
            "no loss term is active in epoch " + (bc.epoch() + 1) + "; check the terms' epochs");
      }
      if (total instanceof PtNDArray loss
          && total.getShape().isScalar()
          && total.getDataType() == DataType.FLOAT32) {
        JniUtils.backward(loss, (PtNDArray) lossSeed, false, false);
      } else {
        gc.backward(total);
      }
      // toFloatArray, not getFloat: getFloat took 4 µs a call, toFloatArray 0.3 µs (measured).
      return total.toFloatArray()[0];
    }
  }

  private StepOutputs teacherOutputs(
      CachedRows cached, NDIndex slice, NDArray rows, NDArray bx, Set<String> taps, NDManager bm) {
    if (teacher instanceof TeacherSignal.Live live) {
      // Runs before the student's collector opens, in inference mode: no graph, no gradients.
      StepOutputs out = live.teacher().forward(bx, taps);
      return out;
    }
    Map<String, NDArray> features = new HashMap<>();
    for (String tap : taps) {
      features.put(tap, cached.batch(tap, slice, rows, bm));
    }
    return new StepOutputs(cached.batch(LOGITS, slice, rows, bm), features);
  }

  /**
   * Computes each term's {@link org.taqtir.api.DistillationStrategy#teacherTargets} once over the
   * cached teacher outputs, chunk by chunk, and keeps them among the cached arrays under private
   * keys; with a live teacher (or none) there is nothing to cache.
   *
   * @return per term, its targets' names mapped to their keys in {@code cached}
   */
  private List<Map<String, String>> cacheTeacherTargets(
      Map<String, NDArray> cached, NDManager runManager, int n) {
    List<Map<String, String>> keys = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      TrainTerm t = terms.get(i);
      Map<String, String> termKeys = new HashMap<>();
      keys.add(termKeys);
      if (cached.isEmpty() || !t.needsTeacher()) {
        continue;
      }
      Map<String, NDList> parts = new java.util.TreeMap<>();
      try (NDManager chunks = runManager.newSubManager()) {
        for (int from = 0; from < n; from += EVAL_CHUNK) {
          NDIndex rows = NDIndex.sliceAxis(0, from, Math.min(n, from + EVAL_CHUNK));
          Map<String, NDArray> taps = new HashMap<>();
          for (String tap : t.strategy().teacherTaps()) {
            // A copy: the resident taps are the study's cached buffers, shared by every run, and a
            // strategy's in-place operation on a view would change them for the runs after it.
            NDArray view = select(cached.get(tap), rows, chunks);
            NDArray copy = view.duplicate();
            copy.attach(chunks);
            taps.put(tap, copy);
          }
          StepOutputs out = new StepOutputs(select(cached.get(LOGITS), rows, chunks), taps);
          Map<String, NDArray> targets = t.strategy().teacherTargets(out, chunks);
          if (targets.isEmpty()) {
            break;
          }
          for (var e : targets.entrySet()) {
            if (cached.containsKey(e.getKey())) {
              throw new IllegalStateException(
                  t.strategy() + ": teacher target '" + e.getKey() + "' shadows a teacher tap");
            }
            parts.computeIfAbsent(e.getKey(), k -> new NDList()).add(e.getValue());
          }
        }
        for (var e : parts.entrySet()) {
          NDArray all =
              e.getValue().size() == 1 ? e.getValue().get(0) : NDArrays.concat(e.getValue());
          all.attach(runManager);
          String key = "\u0000term" + i + ":" + e.getKey();
          cached.put(key, all);
          termKeys.put(e.getKey(), key);
        }
      }
    }
    return keys;
  }

  /**
   * The teacher outputs each term sees: the batch's outputs, plus the term's cached targets (as
   * features under their own names), or null for a term that does not use the teacher.
   */
  private List<StepOutputs> perTerm(
      StepOutputs teacherOut,
      List<Map<String, String>> derived,
      CachedRows cached,
      NDIndex slice,
      NDArray rows,
      NDManager bm) {
    List<StepOutputs> out = new ArrayList<>(terms.size());
    for (int i = 0; i < terms.size(); i++) {
      if (!terms.get(i).needsTeacher()) {
        out.add(null);
      } else if (derived.get(i).isEmpty()) {
        out.add(teacherOut);
      } else {
        Map<String, NDArray> features = new HashMap<>(teacherOut.features());
        for (var e : derived.get(i).entrySet()) {
          features.put(e.getKey(), cached.batch(e.getValue(), slice, rows, bm));
        }
        out.add(new StepOutputs(teacherOut.logits(), features));
      }
    }
    return out;
  }

  /**
   * Copies rows of a resident {@code (N, values)} array, shaped {@code (rows, rowShape...)}. Uses
   * {@code index_select} (DJL's embedding op): it copies row by row, twice as fast as advanced
   * indexing, which moves one element at a time (55k image rows: 19 ms vs 41 ms, measured).
   */
  private static NDArray gatherRows(NDArray table, NDArray rows, Shape rowShape, NDManager bm) {
    NDArray v =
        table.getNDArrayInternal().embedding(rows, table, SparseFormat.DENSE).singletonOrThrow();
    v.attach(bm);
    if (rowShape.dimension() == 1) {
      return v;
    }
    return v.reshape(batchShape(rows.getShape().get(0), rowShape));
  }

  /**
   * The run's cached teacher outputs and teacher targets, and each batch's rows of them. Narrow
   * ones (logits: at most {@link #EPOCH_GATHER_MAX_ROW} values per row) are gathered once per epoch
   * and sliced per batch; wide ones (e.g. a 1,200-wide hidden layer) are gathered batch by batch,
   * so an epoch never holds a second copy of them (55k x 1,200 floats are 264 MB, and page-faulting
   * a fresh copy every epoch cost more than the batch gathers).
   */
  private static final class CachedRows {
    private static final long EPOCH_GATHER_MAX_ROW = 64;

    private final Map<String, NDArray> resident;
    // Every cached array viewed as (N, values per row), the shape index_select gathers from.
    private final Map<String, NDArray> flat = new HashMap<>();
    private final Map<String, NDArray> epoch = new HashMap<>();

    /**
     * Decides, once per run, which arrays are gathered per epoch and which per batch.
     *
     * @param resident the cached arrays {@code (N, ...)} by key, teacher targets included
     */
    CachedRows(Map<String, NDArray> resident) {
      this.resident = resident;
      for (var e : resident.entrySet()) {
        Shape shape = e.getValue().getShape();
        flat.put(e.getKey(), e.getValue().reshape(shape.get(0), shape.size() / shape.get(0)));
      }
    }

    private boolean wide(String key) {
      Shape shape = flat.get(key).getShape();
      return shape.get(1) > EPOCH_GATHER_MAX_ROW;
    }

    /** Gathers the narrow arrays in the epoch's order, owned by the epoch's manager. */
    void startEpoch(NDArray perm, NDManager epochManager) {
      epoch.clear();
      for (var e : resident.entrySet()) {
        if (!wide(e.getKey())) {
          Shape rowShape = e.getValue().getShape().slice(1);
          epoch.put(e.getKey(), gatherRows(flat.get(e.getKey()), perm, rowShape, epochManager));
        }
      }
    }

    /** The batch's rows of one array, shaped as cached. */
    NDArray batch(String key, NDIndex slice, NDArray rows, NDManager bm) {
      NDArray gathered = epoch.get(key);
      if (gathered != null) {
        return select(gathered, slice, bm);
      }
      return gatherRows(flat.get(key), rows, resident.get(key).getShape().slice(1), bm);
    }
  }

  private static final String LOGITS = "\u0000logits";

  private Map<String, NDArray> residentTeacher(
      NDManager manager, int n, int classes, boolean needed) {
    Map<String, NDArray> out = new HashMap<>();
    if (!needed || !(teacher instanceof TeacherSignal.Cached c)) {
      return out;
    }
    if (c.logits().length != (long) n * classes) {
      throw new IllegalArgumentException(
          "cached teacher logits have "
              + c.logits().length
              + " values, expected "
              + n
              + " x "
              + classes);
    }
    out.put(LOGITS, manager.create(c.logits(), new Shape(n, classes)));
    for (var e : c.features().entrySet()) {
      // Keep the tap's own shape (e.g. (N, C, H, W)): spatial strategies need it, as if live.
      // A direct buffer becomes the native array in place (from_blob): no per-run copy.
      Shape shape = batchShape(n, c.shape(e.getKey(), n));
      ByteBuffer values = e.getValue().duplicate().clear();
      if (values.capacity() != shape.size() * Float.BYTES) {
        throw new IllegalArgumentException(
            "cached teacher tap '"
                + e.getKey()
                + "' has "
                + values.capacity() / Float.BYTES
                + " values, expected "
                + shape
                + " = "
                + shape.size());
      }
      out.put(e.getKey(), manager.create(values, shape, DataType.FLOAT32));
    }
    return out;
  }

  private static StepOutputs outputs(Student student, NDList out, Set<String> taps) {
    Map<String, NDArray> features = new HashMap<>();
    List<String> names = student.taps();
    for (String tap : taps) {
      features.put(tap, out.get(names.indexOf(tap) + 1));
    }
    return new StepOutputs(out.get(0), features);
  }

  private ExtraEvaluation.Outputs extra(
      ParameterStore store,
      Student student,
      NDManager manager,
      NDArray valX,
      DataSplits data,
      Shape sample,
      int classes,
      ExtraEvaluation extra) {
    long start = System.nanoTime();
    float[] val = logits(store, student, valX, data.validation().size(), classes);
    Map<String, float[]> shifted = new java.util.TreeMap<>();
    for (var e : extra.shifted().entrySet()) {
      try (NDManager m = manager.newSubManager()) {
        NDArray x = resident(m, e.getValue(), sample);
        shifted.put(e.getKey(), logits(store, student, x, e.getValue().size(), classes));
      }
    }
    double l1 = Double.NaN;
    double l256 = Double.NaN;
    if (extra.latency()) {
      l1 = latencyMs(store, student, manager, data.test(), sample, 1, 50);
      l256 = latencyMs(store, student, manager, data.test(), sample, 256, 15);
    }
    return new ExtraEvaluation.Outputs(val, shifted, l1, l256, (System.nanoTime() - start) / 1e9);
  }

  /** Median wall time of an inference forward pass, its result read back to Java. */
  private double latencyMs(
      ParameterStore store,
      Student student,
      NDManager manager,
      Dataset test,
      Shape sample,
      int batch,
      int reps) {
    int b = Math.min(batch, test.size());
    try (NDManager m = manager.newSubManager()) {
      NDArray x = decode(m.create(test.rows(0, b), batchShape(b, sample)));
      return Latency.medianMs(
          5,
          reps,
          () -> {
            try (NDManager step = m.newSubManager()) {
              NDList out = student.block().forward(store, new NDList(x), false);
              out.attach(step);
              out.get(0).toFloatArray();
            }
          });
    }
  }

  private static Map<String, Shape> studentTapShapes(
      Student student, Shape sample, Set<String> taps) {
    Shape[] out = student.block().getOutputShapes(new Shape[] {batchShape(1, sample)});
    Map<String, Shape> shapes = new HashMap<>();
    for (String tap : taps) {
      shapes.put(tap, out[student.taps().indexOf(tap) + 1].slice(1));
    }
    return shapes;
  }

  private Map<String, Shape> teacherTapShapes(
      NDManager manager, Dataset train, Shape sample, int n, Set<String> taps) {
    Map<String, Shape> shapes = new HashMap<>();
    if (taps.isEmpty()) {
      return shapes;
    }
    if (teacher instanceof TeacherSignal.Cached c) {
      for (String tap : taps) {
        if (!c.features().containsKey(tap)) {
          throw new IllegalArgumentException(
              "the cached teacher outputs have no tap '"
                  + tap
                  + "'; cached: "
                  + c.features().keySet());
        }
        shapes.put(tap, c.shape(tap, n));
      }
    } else if (teacher instanceof TeacherSignal.Live live) {
      try (NDManager m = manager.newSubManager()) {
        NDArray one = decode(m.create(train.rows(0, 1), batchShape(1, sample)));
        StepOutputs o = live.teacher().forward(one, taps);
        for (String tap : taps) {
          shapes.put(tap, o.feature(tap).getShape().slice(1));
        }
      }
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

  /**
   * {@code a.get(index)} owned by {@code manager} (DJL attaches it to {@code a}'s manager
   * otherwise).
   */
  private static NDArray select(NDArray a, NDIndex index, NDManager manager) {
    NDArray v = a.get(index);
    v.attach(manager);
    return v;
  }

  /**
   * Puts a split in one native array: images stay unsigned bytes (a quarter of the memory) and are
   * decoded per batch by {@link #decode}.
   */
  static NDArray resident(NDManager manager, Dataset d, Shape sample) {
    Shape shape = batchShape(d.size(), sample);
    return d.isPixels()
        ? manager.create(ByteBuffer.wrap(d.pixels()), shape, DataType.UINT8)
        : manager.create(d.features(), shape);
  }

  /** Turns stored pixels into features exactly as {@link Dataset#rows} does: pixel / 255f. */
  private NDArray decode(NDArray raw) {
    if (raw.getDataType() != DataType.UINT8) {
      return raw;
    }
    // In place on the fresh float copy: one array fewer per batch, the same values.
    return raw.toType(DataType.FLOAT32, false).divi(pixelScale);
  }

  /**
   * Runs a block in inference mode over a resident array, chunk by chunk, freeing each chunk's
   * activations before the next.
   */
  private float[] logits(ParameterStore store, Student student, NDArray x, int n, int classes) {
    float[] out = new float[n * classes];
    for (int from = 0; from < n; from += EVAL_CHUNK) {
      int to = Math.min(n, from + EVAL_CHUNK);
      try (NDManager m = x.getManager().newSubManager()) {
        NDArray chunk = decode(select(x, NDIndex.sliceAxis(0, from, to), m));
        NDArray l = student.block().forward(store, new NDList(chunk), false).get(0);
        l.attach(m);
        System.arraycopy(l.toFloatArray(), 0, out, from * classes, (to - from) * classes);
      }
    }
    return out;
  }

  /** A distinct engine seed per (run seed, epoch), from SplitMix64's finaliser. */
  static int epochSeed(long seed, int epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) (z ^ (z >>> 31));
  }

  private void checkResumable(
      TrainingCheckpoint c, List<NDArray> trainable, List<NDArray> moments, int studentArrays) {
    String problem = null;
    if (c.seed() != seed) {
      problem = "it was written with seed " + c.seed() + ", this run has seed " + seed;
    } else if (c.epochs() > config.epochs()) {
      problem = "it holds " + c.epochs() + " epochs, this run has " + config.epochs();
    } else if (c.trainable().size() != trainable.size() || c.moments().size() != moments.size()) {
      problem =
          "it holds "
              + c.trainable().size()
              + " trainable arrays, this run has "
              + trainable.size();
    } else if (c.strategyStates().size() != terms.size()) {
      problem = "it holds " + c.strategyStates().size() + " terms, this run has " + terms.size();
    } else if (c.bestWeights() != null && c.bestWeights().length != studentArrays) {
      problem = "its best weights have " + c.bestWeights().length + " arrays";
    } else {
      for (int i = 0; i < trainable.size(); i++) {
        if (c.trainable().get(i).length != trainable.get(i).size()) {
          problem =
              "trainable array "
                  + i
                  + " has "
                  + c.trainable().get(i).length
                  + " values, this run's has "
                  + trainable.get(i).size();
          break;
        }
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          checkpoint + ": cannot resume from this checkpoint: " + problem);
    }
  }

  private static List<float[]> values(List<NDArray> arrays) {
    List<float[]> out = new ArrayList<>(arrays.size());
    for (NDArray a : arrays) {
      out.add(a.toFloatArray());
    }
    return out;
  }

  private static void load(List<NDArray> arrays, List<float[]> values, NDManager manager) {
    for (int i = 0; i < arrays.size(); i++) {
      NDArray w = arrays.get(i);
      try (NDArray v = manager.create(values.get(i), w.getShape())) {
        w.set(v.toByteBuffer());
      }
    }
  }

  private static float[][] snapshot(List<Parameter> params) {
    float[][] copy = new float[params.size()][];
    for (int i = 0; i < params.size(); i++) {
      copy[i] = params.get(i).getArray().toFloatArray();
    }
    return copy;
  }

  private static void restore(List<Parameter> params, float[][] values, NDManager manager) {
    for (int i = 0; i < params.size(); i++) {
      NDArray w = params.get(i).getArray();
      try (NDArray v = manager.create(values[i], w.getShape())) {
        w.set(v.toByteBuffer());
      }
    }
  }

  private static void save(Model model, Path dir, String name) {
    try {
      Files.createDirectories(dir);
      model.save(dir, name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save model to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Shape batchShape(long n, Shape sample) {
    long[] dims = new long[sample.dimension() + 1];
    dims[0] = n;
    System.arraycopy(sample.getShape(), 0, dims, 1, sample.dimension());
    return new Shape(dims);
  }
}
