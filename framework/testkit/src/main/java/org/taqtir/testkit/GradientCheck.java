package org.taqtir.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.Set;

/** Compares autograd with a central finite difference and says which is which when they differ. */
final class GradientCheck {

  private final double step;
  private final double tolerance;
  private final Set<String> held;

  /**
   * @param step the finite difference's step h
   * @param tolerance allowed difference, relative to max(1, |finite difference|)
   * @param held the names of the terms declared with {@code Detached.term}, held constant
   */
  GradientCheck(double step, double tolerance, Set<String> held) {
    this.step = step;
    this.tolerance = tolerance;
    this.held = Set.copyOf(held);
  }

  /**
   * Fails when the two gradients of one input differ by more than the tolerance.
   *
   * @param input what was perturbed, e.g. {@code "logits"} or {@code "tap hidden1"}
   * @param index the flat (row-major) index of the perturbed value
   * @param size the number of values of that input
   * @param finiteDifference (L(x + h) − L(x − h)) / 2h
   * @param autograd the gradient back-propagated by the engine
   */
  void compare(String input, int index, int size, double finiteDifference, double autograd) {
    double allowed = tolerance * Math.max(1, Math.abs(finiteDifference));
    if (Math.abs(finiteDifference - autograd) <= allowed) {
      return;
    }
    fail(
        String.format(
            Locale.ROOT,
            "d loss / d %s[%d] (flat index %d of %d values): finite difference %.6g (central, h ="
                + " %g) but autograd %.6g; they may differ by %.2g. %s",
            input,
            index,
            index,
            size,
            finiteDifference,
            step,
            autograd,
            allowed,
            held.isEmpty()
                ? "If a term is detached on purpose (stopGradient on a value computed from the"
                    + " student), declare it with Detached.term(name, value): the check then holds"
                    + " it constant, as autograd does."
                : "The terms declared with Detached.term " + held + " were held constant."));
  }
}
