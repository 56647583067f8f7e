package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The base of a distillation strategy: write the loss in {@link #compute}; the base supplies the
 * run-long constants, the taps and the checks.
 *
 * <p>{@link #prepare} and {@link #loss} are final template methods. {@code prepare} keeps the
 * {@link StrategyContext} and then calls {@link #setUp} (adapters, state, constants that are not
 * plain numbers). {@code loss} calls {@link #compute} and, on the first calls of a run, checks two
 * invariants the training loop relies on: the loss is a scalar, and {@code compute} leaves no array
 * behind in the run's long-lived manager ({@link StrategyContext#manager()}). DJL attaches an
 * operation's result to its <em>left</em> operand's manager, so {@code one.sub(x)} with a run-long
 * constant {@code one} puts one array per step into the run's manager, freed only when training
 * ends; write {@code x.neg().add(one)} (the same bits). When the run's manager holds more arrays
 * before each of the first {@value #CHECKED_CALLS} calls than before the one until then, {@code
 * loss} throws {@link IllegalStateException} naming the strategy; afterwards it only calls {@code
 * compute}. (What {@code loss} keeps in the run's manager for {@link #afterStep} and frees there,
 * such as a batch to enqueue, does not count.)
 *
 * <p>Constants: {@link #constant(double)} returns a float32 scalar held in the run's manager (one
 * per distinct value), safe to multiply into the gradient graph. Never use {@code NDArray.mul/div/
 * add/sub/pow(Number)} on arrays in the graph: on DJL's PyTorch engine the temporary scalar of
 * those overloads can be freed by a garbage collection before {@code backward()} still needs it,
 * which silently corrupts the gradients.
 *
 * <p>Taps: a strategy created by an {@link AbstractStrategyProvider} whose parameters include
 * {@code student_layer} and {@code teacher_layer} gets them as {@link #taps()}; {@link
 * #studentFeature} and {@link #teacherFeature} return them flattened to {@code (B, d)}.
 */
public abstract class AbstractStrategy implements DistillationStrategy {

  /** How many first calls of a run {@link #loss} checks. */
  static final int CHECKED_CALLS = 3;

  private String id = getClass().getSimpleName();
  private Params params = new Params(Map.of());
  private TapPair taps;
  private StrategyContext context;
  private Scalars scalars;
  private int calls;
  private int callsThatLeftArrays;
  private long heldBefore;

  /** Called by {@link AbstractStrategyProvider#create}. */
  final void bind(String id, Params params, TapPair taps) {
    this.id = id;
    this.params = params;
    this.taps = taps;
  }

  /**
   * Keeps the context, then calls {@link #setUp}.
   *
   * @param context the run's long-lived manager, sizes and tap shapes
   */
  @Override
  public final void prepare(StrategyContext context) {
    this.context = context;
    this.scalars = new Scalars(context.manager());
    this.calls = 0;
    this.callsThatLeftArrays = 0;
    this.heldBefore = 0;
    setUp(context);
  }

  /**
   * Creates what the strategy needs before training: trainable adapters ({@link LinearAdapter}),
   * state, arrays that are not scalars. Arrays go in {@code context.manager()}, which the loop
   * closes after training. Nothing by default.
   *
   * @param context the run's long-lived manager, sizes and tap shapes
   */
  protected void setUp(StrategyContext context) {}

  /**
   * Computes the loss through {@link #compute}, checking the first calls (see the class comment).
   *
   * @param student the student's outputs, attached to the gradient graph
   * @param teacher the teacher's detached outputs, or {@code null} without {@link
   *     Capability#NEEDS_TEACHER}
   * @param batch labels, one-hot labels, indices, epoch and the batch manager
   * @return the scalar loss, owned by the batch manager
   * @throws IllegalStateException when the loss is not a scalar, or when each of the first calls
   *     left arrays in the run's manager
   */
  @Override
  public final NDArray loss(StepOutputs student, StepOutputs teacher, BatchContext batch) {
    if (calls >= CHECKED_CALLS || context == null || context.manager() == batch.manager()) {
      return compute(student, teacher, batch);
    }
    // arrays the run's manager holds besides this strategy's scalars, between two calls (after
    // the previous step's afterStep, which may free what loss() kept for it)
    long held = ownArrays(context.manager()) - scalars.size();
    if (calls > 0 && held > heldBefore) {
      callsThatLeftArrays++;
    }
    calls++;
    if (calls == CHECKED_CALLS && callsThatLeftArrays == CHECKED_CALLS - 1) {
      throw new IllegalStateException(
          id
              + ": each call of loss() left arrays in the run's long-lived manager ("
              + (held - heldBefore)
              + " more after the last call), which holds them until training ends. An"
              + " operation's result is attached to its left operand's manager: with a run-long"
              + " constant on the left, as in one.sub(x), write x.neg().add(one) instead; create"
              + " per-step arrays in batch.manager()");
    }
    heldBefore = held;
    NDArray loss = compute(student, teacher, batch);
    if (!loss.getShape().equals(new Shape())) {
      throw new IllegalStateException(
          id
              + ": loss() must return a scalar (shape ()), found "
              + loss.getShape()
              + "; reduce over the batch, e.g. x.sum().mul(constant(1.0 / batch.size()))");
    }
    return loss;
  }

  private static long ownArrays(NDManager manager) {
    return manager.getManagedArrays().stream().filter(a -> a.getManager() == manager).count();
  }

  /**
   * Computes this term's loss for one batch: the formula, and nothing else.
   *
   * <p>Read the student's logits and taps from {@code student}, the teacher's from {@code teacher}
   * (detached), the true labels from {@link BatchContext#labels()} or {@link
   * BatchContext#oneHot()}. Multiply by {@link #constant}s, never by Java numbers. Return a scalar:
   * usually a batch mean, {@code sum.mul(constant(1.0 / batch.size()))}.
   *
   * @param student the student's outputs, attached to the gradient graph
   * @param teacher the teacher's detached outputs, or {@code null} without {@link
   *     Capability#NEEDS_TEACHER}
   * @param batch the batch
   * @return a scalar attached to the student's graph, in the batch manager
   */
  protected abstract NDArray compute(StepOutputs student, StepOutputs teacher, BatchContext batch);

  /**
   * Returns a float32 scalar holding a value, created once per value in the run's long-lived
   * manager: safe to multiply into the gradient graph, free after its first use. Put it on the
   * right of an operation whose left operand is a batch array ({@code x.mul(constant(t))}), so the
   * result lands in the batch manager.
   *
   * @param value the value, rounded to float32
   * @return a 0-d array; do not close it
   * @throws IllegalStateException before {@link #prepare}
   */
  protected final NDArray constant(double value) {
    return scalars().of((float) value);
  }

  /**
   * Returns the mean of all elements: the same bits as {@code x.mean()}, with a cheaper backward
   * pass ({@link Scalars#mean(NDArray)}).
   *
   * @param x the array
   * @return a 0-d array, in {@code x}'s manager
   */
  protected final NDArray mean(NDArray x) {
    return scalars().mean(x);
  }

  /**
   * Returns the mean over one axis ({@link Scalars#mean(NDArray, int)}).
   *
   * @param x the array
   * @param axis the axis to average over (removed)
   * @return the mean, in {@code x}'s manager
   */
  protected final NDArray mean(NDArray x, int axis) {
    return scalars().mean(x, axis);
  }

  /**
   * Returns the teacher's targets of this batch ({@link #teacherTargets}): precomputed once per run
   * when the teacher's outputs are cached, computed now in the batch manager otherwise.
   *
   * @param teacher the teacher's outputs
   * @param batch the batch
   * @return the targets by the names {@link #teacherTargets} returns
   */
  protected final Map<String, NDArray> targets(StepOutputs teacher, BatchContext batch) {
    return teacher.targetsOr(this::teacherTargets, batch.manager());
  }

  /**
   * Returns the student and teacher taps this strategy reads.
   *
   * @return the pair from the {@code student_layer} and {@code teacher_layer} parameters
   * @throws IllegalStateException when the provider declares no such parameters
   */
  protected final TapPair taps() {
    if (taps == null) {
      throw new IllegalStateException(
          id
              + " has no student_layer/teacher_layer parameters (declare TapPair.STUDENT_LAYER and"
              + " TapPair.TEACHER_LAYER)");
    }
    return taps;
  }

  /**
   * Returns the student's tap ({@link #taps()}), flattened to {@code (B, d)}.
   *
   * @param student the student's outputs
   * @return a view in the batch manager, in the gradient graph
   */
  protected final NDArray studentFeature(StepOutputs student) {
    return taps().student(student);
  }

  /**
   * Returns the teacher's tap ({@link #taps()}), flattened to {@code (B, d)}.
   *
   * @param teacher the teacher's outputs
   * @return a detached view in the batch manager
   */
  protected final NDArray teacherFeature(StepOutputs teacher) {
    return taps().teacher(teacher);
  }

  /**
   * Returns the context given to {@link #prepare}.
   *
   * @return the context
   * @throws IllegalStateException before {@link #prepare}
   */
  protected final StrategyContext context() {
    if (context == null) {
      throw new IllegalStateException(id + ": prepare(StrategyContext) has not been called");
    }
    return context;
  }

  private Scalars scalars() {
    context();
    return scalars;
  }

  /**
   * Returns the id of the provider that created this strategy (its class name otherwise).
   *
   * @return the id, for messages
   */
  protected final String id() {
    return id;
  }

  /**
   * Returns the parameters this strategy was created with.
   *
   * @return the parameters; empty when not created by an {@link AbstractStrategyProvider}
   */
  protected final Params params() {
    return params;
  }

  /**
   * Describes the strategy by id and parameters, e.g. {@code hinton-kd(temperature=4.0,
   * alpha=0.9)}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return params.values().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", id + "(", ")"));
  }
}
