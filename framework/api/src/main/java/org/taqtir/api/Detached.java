package org.taqtir.api;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A term of a loss that is detached from the gradient graph on purpose, declared by name: {@code
 * Detached.term("weight", w)} is {@code w.stopGradient()}, and says so. Use it wherever a formula
 * treats a value computed from the student as a constant, e.g. WSLD's per-sample weights {@code w =
 * 1 − exp(−CE_s / CE_t)} ("no gradient through w").
 *
 * <p>Why declare it: a finite-difference gradient check perturbs the student's outputs and sees the
 * detached value move, so it measures a gradient that autograd (rightly) does not compute. The
 * contract kit ({@code StrategyContractTest}) therefore holds every declared term at its value for
 * the unperturbed input while it perturbs, and so checks the gradient of the formula as declared
 * (with the detached terms constant) instead of giving up. A bare {@code stopGradient()} on a value
 * that depends on the student fails that check.
 *
 * <p>Outside the kit, {@link #term} is exactly {@code value.stopGradient()}: the result is attached
 * to {@code value}'s manager, like any operation's result.
 */
public final class Detached {

  private static final ThreadLocal<BiFunction<String, NDArray, NDArray>> HOLD = new ThreadLocal<>();

  private Detached() {}

  /**
   * Detaches a value on purpose.
   *
   * @param name what the value is, e.g. {@code "weight"}; the kit holds values by name and call
   *     order, so use the same name for the same term in every call
   * @param value a value computed in the gradient graph
   * @return {@code value.stopGradient()}, attached to {@code value}'s manager
   */
  public static NDArray term(String name, NDArray value) {
    Objects.requireNonNull(name, "name");
    NDArray detached = value.stopGradient();
    BiFunction<String, NDArray, NDArray> hold = HOLD.get();
    return hold == null ? detached : hold.apply(name, detached);
  }

  /**
   * Runs code with every {@link #term} call on this thread passed through {@code hold}, which sees
   * the name and the detached value and returns the value to use instead (the same one to record
   * it, a stored one to hold it). For checks such as the contract kit's gradient test; training
   * never calls it.
   *
   * @param hold maps (name, detached value) to the value the loss then uses, created in the same
   *     manager, shape and data type
   * @param body the code to run, e.g. one loss evaluation
   * @param <T> what the body returns
   * @return the body's result
   */
  public static <T> T holding(BiFunction<String, NDArray, NDArray> hold, Supplier<T> body) {
    BiFunction<String, NDArray, NDArray> previous = HOLD.get();
    HOLD.set(Objects.requireNonNull(hold, "hold"));
    try {
      return body.get();
    } finally {
      if (previous == null) {
        HOLD.remove();
      } else {
        HOLD.set(previous);
      }
    }
  }
}
