package org.taqtir.strategy.relation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import org.taqtir.api.AbstractStrategy;
import org.taqtir.api.AbstractStrategyProvider;
import org.taqtir.api.BatchContext;
import org.taqtir.api.Capability;
import org.taqtir.api.DistillationStrategy;
import org.taqtir.api.Family;
import org.taqtir.api.LinearAdapter;
import org.taqtir.api.ParamDef;
import org.taqtir.api.Params;
import org.taqtir.api.Range;
import org.taqtir.api.StepOutputs;
import org.taqtir.api.StrategyContext;
import org.taqtir.api.StrategyInfo;
import org.taqtir.api.TapPair;

/**
 * {@code crd}: Contrastive Representation Distillation, Tian, Krishnan, Isola (ICLR 2020),
 * arXiv:1910.10699.
 *
 * <p>Variant: the softmax (InfoNCE) form of the contrastive objective, which the paper discusses
 * beside its NCE form, with a bounded first-in-first-out queue of teacher embeddings as negatives
 * (as in MoCo) instead of a memory bank over the whole training set. Trainable linear heads map
 * both taps to {@code dim}-d embeddings, L2-normalised: e_s = ĝ_s(f_s), e_t = ĝ_t(f_t). With Q the
 * queue (K × dim) and τ the temperature:
 *
 * <pre>
 *   ℓ_i = −log( exp(e_s,i·e_t,i / τ) / ( exp(e_s,i·e_t,i / τ) + Σ_k exp(e_s,i·Q_k / τ) ) )
 *   L   = 1/B Σ_i ℓ_i
 * </pre>
 *
 * The queue's memory is a parameter: K = ⌊memory_mb · 2²⁰ / (4 · dim)⌋ float32 rows (16 MB and dim
 * 128 give K = 32768, close to the paper's 16384 negatives); it is never exceeded, and {@code
 * toString} reports K and the megabytes used. The queue starts with random unit vectors and is
 * refreshed with each batch's detached teacher embeddings after the optimiser step. Defaults dim =
 * 128, τ = 0.07 from the paper; its weight β = 0.8 goes in the term's {@code weight}.
 */
public final class CrdProvider extends AbstractStrategyProvider {

  /** Registers the provider. */
  public CrdProvider() {
    super(
        StrategyInfo.of(
                "crd",
                Family.RELATION,
                Capability.NEEDS_TEACHER,
                Capability.NEEDS_FEATURES,
                Capability.HAS_TRAINABLE_ADAPTERS,
                Capability.STATEFUL)
            .withParams(
                TapPair.STUDENT_LAYER,
                TapPair.TEACHER_LAYER,
                ParamDef.ofInt("dim", 128, Range.atLeast(2), "embedding dimension of both heads"),
                ParamDef.ofDouble("tau", 0.07, Range.greaterThan(0), "softmax temperature τ"),
                ParamDef.ofDouble(
                    "memory_mb",
                    16.0,
                    new Range(0, false, 4096, true),
                    "bound on the negative queue's memory, in MB (2^20 bytes)"))
            .withDescription(
                "InfoNCE between student and teacher embeddings with a bounded negative queue")
            .withFormula(
                "L = -1/B Σ_i log(exp(e_s,i·e_t,i/τ) / (exp(e_s,i·e_t,i/τ) + Σ_k exp(e_s,i·Q_k/τ))),  Q = FIFO queue of teacher embeddings")
            .withPaper(
                "Tian, Krishnan, Isola 2020, Contrastive Representation Distillation, ICLR,"
                    + " arXiv:1910.10699"));
  }

  @Override
  protected DistillationStrategy newStrategy(Params p) {
    return new Crd(TapPair.of(p), p.getInt("dim"), p.getDouble("tau"), p.getDouble("memory_mb"));
  }

  static final class Crd extends AbstractStrategy {
    private final TapPair taps;
    private final int dim;
    private final double tau;
    private final int capacity;
    private NDManager manager;
    private LinearAdapter studentHead;
    private LinearAdapter teacherHead;
    private NDArray queue;
    private NDArray invTau;
    private NDArray eps;
    private NDArray pending;
    private int pointer;

    Crd(TapPair taps, int dim, double tau, double memoryMb) {
      this.taps = taps;
      this.dim = dim;
      this.tau = tau;
      this.capacity = (int) Math.floor(memoryMb * (1 << 20) / (4.0 * dim));
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "crd: memory_mb " + memoryMb + " holds no " + dim + "-d float32 embedding");
      }
    }

    int capacity() {
      return capacity;
    }

    /** The queue's current rows, row-major {@code (K, dim)}, for tests. */
    float[] queueValues() {
      return queue.toFloatArray();
    }

    @Override
    protected void setUp(StrategyContext context) {
      manager = context.manager();
      long ds = context.studentTap(taps.studentLayer()).size();
      long dt = context.teacherTap(taps.teacherLayer()).size();
      studentHead = LinearAdapter.create(manager, ds, dim);
      teacherHead = LinearAdapter.create(manager, dt, dim);
      eps = manager.create(1e-12f);
      invTau = manager.create((float) (1 / tau));
      NDArray q = manager.randomNormal(new Shape(capacity, dim));
      queue = q.div(q.square().sum(new int[] {1}, true).sqrt().maximum(eps));
      pointer = 0;
    }

    @Override
    public List<NDArray> trainableParameters() {
      return List.of(
          studentHead.weight(), studentHead.bias(), teacherHead.weight(), teacherHead.bias());
    }

    private NDArray embed(NDArray f, LinearAdapter head) {
      NDArray e = head.apply(f);
      return e.div(e.square().sum(new int[] {1}, true).sqrt().maximum(eps));
    }

    @Override
    protected NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch) {
      NDArray es = embed(taps.student(student), studentHead);
      NDArray et = embed(taps.teacher(teacher), teacherHead);
      NDArray positive = es.mul(et).sum(new int[] {1}, true);
      // the queue is the run's: its transposed view would stay in the run's manager every step
      NDArray queueT = queue.transpose();
      queueT.attach(batch.manager());
      NDArray negatives = es.matMul(queueT);
      NDArray logits = positive.concat(negatives, 1).mul(invTau);
      NDArray first = logits.logSoftmax(1).get(new NDIndex(":, 0"));
      NDArray negInvB = constant(-1f / batch.size());
      if (pending != null) {
        pending.close();
      }
      pending = et.stopGradient().duplicate();
      pending.attach(manager);
      return first.sum().mul(negInvB);
    }

    @Override
    public void afterStep() {
      if (pending == null) {
        return;
      }
      int b = (int) Math.min(pending.getShape().get(0), capacity);
      for (int i = 0; i < b; ) {
        int n = Math.min(b - i, capacity - pointer);
        // the slice is a new array in pending's (the run's) manager: close it, or one stays
        // per step until training ends
        try (NDArray rows = pending.get(new NDIndex(i + ":" + (i + n)))) {
          queue.set(new NDIndex(pointer + ":" + (pointer + n)), rows);
        }
        pointer = (pointer + n) % capacity;
        i += n;
      }
      pending.close();
      pending = null;
    }

    /**
     * The queue and its write position, for a resumable checkpoint: {@code int capacity, int dim,
     * int pointer} then the K × dim floats, little-endian. (The heads are trainable parameters,
     * which the loop saves itself.)
     */
    @Override
    public byte[] checkpointState() {
      float[] q = queue.toFloatArray();
      ByteBuffer b = ByteBuffer.allocate(12 + 4 * q.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(capacity).putInt(dim).putInt(pointer);
      b.asFloatBuffer().put(q);
      return b.array();
    }

    @Override
    public void restoreState(byte[] state) {
      ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
      int k = b.getInt();
      int d = b.getInt();
      int p = b.getInt();
      if (k != capacity || d != dim || p < 0 || p >= capacity || b.remaining() != 4 * k * d) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "crd: the checkpoint holds a queue of %d x %d at position %d (%d bytes), this"
                    + " strategy has %d x %d",
                k,
                d,
                p,
                state.length,
                capacity,
                dim));
      }
      float[] q = new float[k * d];
      b.asFloatBuffer().get(q);
      NDArray restored = manager.create(q, new Shape(k, d));
      queue.close();
      queue = restored;
      pointer = p;
    }

    /** Says the queue's size, K and megabytes, as well as the parameters. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "crd(%s, %s, dim %d, τ=%s, queue K=%d = %.1f MB)",
          taps.studentLayer(),
          taps.teacherLayer(),
          dim,
          tau,
          capacity,
          capacity * 4.0 * dim / (1 << 20));
    }
  }
}
