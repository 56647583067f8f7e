package org.taqtir.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.TokenAlignment;
import org.taqtir.api.TopK;

/**
 * The teacher's outputs for one run's batches: read from the cache (resident for the run, gathered
 * per epoch or per batch) or computed by the live teacher on each batch, plus each term's teacher
 * targets, computed once per run from cached outputs. Each term's targets are kept apart, in its
 * own slot of {@link #targets}, and reach its strategy as {@link StepOutputs#targets()}: never
 * mixed with the teacher's taps.
 */
final class TeacherFeed {

  private static final int CHUNK = StudentModel.EVAL_CHUNK;

  private final TeacherSignal signal;
  private final Set<String> taps;
  private boolean cached;
  // null for a cached top-k teacher: its logits are rebuilt from its top-k taps per batch
  private ResidentRows logits;
  private int vocabulary;
  private final Map<String, ResidentRows> features = new LinkedHashMap<>();
  // per term, its targets by the names its strategy gave them; empty for a live teacher
  private final List<Map<String, ResidentRows>> targets = new ArrayList<>();

  private TeacherFeed(TeacherSignal signal, Set<String> taps) {
    this.signal = signal;
    this.taps = Set.copyOf(taps);
  }

  /**
   * Prepares a run's teacher outputs.
   *
   * @param signal where they come from
   * @param taps the teacher taps the run's terms read
   * @param n training samples
   * @param manager the run's manager (resident arrays live there)
   * @param ops the row gather
   * @return the feed
   */
  static TeacherFeed open(
      TeacherSignal signal, Set<String> taps, int n, NDManager manager, NativeOps ops) {
    TeacherFeed feed = new TeacherFeed(signal, taps);
    if (signal instanceof TeacherSignal.Cached c) {
      feed.cached = true;
      feed.vocabulary = c.classes();
      Set<String> load = new java.util.TreeSet<>(taps);
      boolean topK = c.features().containsKey(TopK.IDS) && c.logits().length == 0;
      if (topK) {
        load.addAll(TopK.TAPS);
      }
      // a teacher re-scored for the students' tokens marks where it is defined: every strategy
      // reads that, whether it asked for taps or not (as it does from the live teacher)
      for (String tap : TokenAlignment.TAPS) {
        if (c.features().containsKey(tap)) {
          load.add(tap);
        }
      }
      Shape logitShape = StudentModel.batchShape(n, c.logitShape());
      if (topK) {
        // no dense logits: rebuilt per batch
      } else if (c.logits().length != logitShape.size()) {
        throw new IllegalArgumentException(
            "cached teacher logits have "
                + c.logits().length
                + " values, expected "
                + logitShape
                + " = "
                + logitShape.size());
      }
      if (!topK) {
        feed.logits = new ResidentRows(manager.create(c.logits(), logitShape), ops, false);
      }
      for (String tap : load) {
        ByteBuffer values = c.features().get(tap);
        if (values == null) {
          throw new IllegalArgumentException(
              "the cached teacher outputs have no tap '"
                  + tap
                  + "'; cached: "
                  + c.features().keySet());
        }
        // Keep the tap's own shape (e.g. (N, C, H, W)): spatial strategies need it, as if live.
        // A direct buffer becomes the native array in place (from_blob): no per-run copy.
        Shape shape = StudentModel.batchShape(n, c.shape(tap, n));
        ByteBuffer view = values.duplicate().clear();
        if (view.capacity() != shape.size() * Float.BYTES) {
          throw new IllegalArgumentException(
              "cached teacher tap '"
                  + tap
                  + "' has "
                  + view.capacity() / Float.BYTES
                  + " values, expected "
                  + shape
                  + " = "
                  + shape.size());
        }
        feed.features.put(
            tap, new ResidentRows(manager.create(view, shape, DataType.FLOAT32), ops, false));
      }
    }
    return feed;
  }

  /**
   * Returns the per-sample shape of each teacher tap.
   *
   * @param firstInput the first training sample, decoded, {@code (1, ...)} (a live teacher is run
   *     on it once)
   * @return tap name to shape without the batch dimension
   */
  Map<String, Shape> tapShapes(java.util.function.Supplier<NDArray> firstInput) {
    Map<String, Shape> shapes = new HashMap<>();
    if (taps.isEmpty()) {
      return shapes;
    }
    if (signal instanceof TeacherSignal.Cached) {
      for (String tap : taps) {
        shapes.put(tap, features.get(tap).all().getShape().slice(1));
      }
    } else if (signal instanceof TeacherSignal.Live live) {
      StepOutputs o = live.teacher().forward(firstInput.get(), taps);
      for (String tap : taps) {
        shapes.put(tap, o.feature(tap).getShape().slice(1));
      }
    }
    return shapes;
  }

  /**
   * Computes each term's teacher targets once over the cached outputs, chunk by chunk; with a live
   * teacher there is nothing to cache.
   *
   * @param objective the run's terms, prepared
   * @param manager the run's manager
   * @param n training samples
   * @param ops the row gather
   */
  void cacheTargets(Objective objective, NDManager manager, int n, NativeOps ops) {
    for (int i = 0; i < objective.size(); i++) {
      Map<String, ResidentRows> termTargets = new HashMap<>();
      targets.add(termTargets);
      if (!cached || !objective.term(i).needsTeacher()) {
        continue;
      }
      Map<String, NDList> parts = new TreeMap<>();
      try (NDManager chunks = manager.newSubManager()) {
        for (int from = 0; from < n; from += CHUNK) {
          NDIndex rows = NDIndex.sliceAxis(0, from, Math.min(n, from + CHUNK));
          Map<String, NDArray> tapValues = new HashMap<>();
          for (String tap : objective.term(i).taps().teacher()) {
            // A copy: the resident taps are the study's cached buffers, shared by every run, and a
            // strategy's in-place operation on a view would change them for the runs after it.
            NDArray copy = StudentModel.select(features.get(tap).all(), rows, chunks).duplicate();
            copy.attach(chunks);
            tapValues.put(tap, copy);
          }
          StepOutputs out = new StepOutputs(chunkLogits(rows, chunks), tapValues);
          Map<String, NDArray> t = objective.strategy(i).teacherTargets(out, chunks);
          if (t.isEmpty()) {
            break;
          }
          for (var e : t.entrySet()) {
            parts.computeIfAbsent(e.getKey(), k -> new NDList()).add(e.getValue());
          }
        }
        for (var e : parts.entrySet()) {
          NDArray all =
              e.getValue().size() == 1 ? e.getValue().get(0) : NDArrays.concat(e.getValue());
          all.attach(manager);
          termTargets.put(e.getKey(), new ResidentRows(all, ops, false));
        }
      }
    }
  }

  /** The cached logits of some rows, rebuilt from the top-k taps for a top-k teacher. */
  private NDArray chunkLogits(NDIndex rows, NDManager chunks) {
    if (logits != null) {
      return StudentModel.select(logits.all(), rows, chunks);
    }
    return TopK.reconstruct(
        StudentModel.select(features.get(TopK.IDS).all(), rows, chunks),
        StudentModel.select(features.get(TopK.LOG_PROBS).all(), rows, chunks),
        StudentModel.select(features.get(TopK.TAIL).all(), rows, chunks),
        vocabulary);
  }

  /**
   * Gathers the narrow cached arrays in the epoch's order.
   *
   * @param perm int64 permutation
   * @param epochManager the epoch's manager
   */
  void startEpoch(NDArray perm, NDManager epochManager) {
    if (!cached) {
      return;
    }
    if (logits != null) {
      logits.startEpoch(perm, epochManager);
    }
    for (ResidentRows r : features.values()) {
      r.startEpoch(perm, epochManager);
    }
    for (Map<String, ResidentRows> t : targets) {
      for (ResidentRows r : new TreeMap<>(t).values()) {
        r.startEpoch(perm, epochManager);
      }
    }
  }

  /**
   * Returns what each term sees of the teacher for one batch: the batch's outputs with the term's
   * cached targets, or {@code null} for a term that does not read the teacher.
   *
   * @param objective the run's terms
   * @param input the decoded batch (a live teacher runs on it, before the student's collector)
   * @param slice the batch's positions in the epoch's order
   * @param rows the batch's rows
   * @param bm the batch's manager
   * @return one entry per term
   */
  List<StepOutputs> batch(
      Objective objective, NDArray input, NDIndex slice, NDArray rows, NDManager bm) {
    StepOutputs shared;
    if (signal instanceof TeacherSignal.Live live) {
      // in inference mode: no graph, no gradients
      shared = live.teacher().forward(input, taps);
    } else {
      Map<String, NDArray> f = new HashMap<>();
      for (var e : features.entrySet()) {
        f.put(e.getKey(), e.getValue().batch(slice, rows, bm));
      }
      NDArray l =
          logits != null
              ? logits.batch(slice, rows, bm)
              : TopK.reconstruct(
                  f.get(TopK.IDS), f.get(TopK.LOG_PROBS), f.get(TopK.TAIL), vocabulary);
      shared = new StepOutputs(l, f);
    }
    List<StepOutputs> out = new ArrayList<>(objective.size());
    for (int i = 0; i < objective.size(); i++) {
      if (!objective.term(i).needsTeacher()) {
        out.add(null);
      } else if (targets.isEmpty() || targets.get(i).isEmpty()) {
        out.add(shared);
      } else {
        Map<String, NDArray> t = new HashMap<>();
        for (var e : targets.get(i).entrySet()) {
          t.put(e.getKey(), e.getValue().batch(slice, rows, bm));
        }
        out.add(shared.withTargets(t));
      }
    }
    return out;
  }
}
