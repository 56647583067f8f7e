package org.taqtir.testkit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.taqtir.api.Detached;

/**
 * The values of the terms a loss declares with {@link Detached#term}, recorded on the unperturbed
 * input and replayed, in the same order, while the gradient check perturbs the input: the finite
 * difference then differentiates the formula with those terms constant, as autograd does.
 */
final class HeldTerms {

  private record Held(Shape shape, double[] values) {}

  private final Map<String, List<Held>> held = new LinkedHashMap<>();

  /** Records a detached value and lets the loss use it unchanged. */
  NDArray record(String name, NDArray value) {
    double[] v = value.toType(DataType.FLOAT64, false).toDoubleArray();
    held.computeIfAbsent(name, k -> new ArrayList<>()).add(new Held(value.getShape(), v));
    return value;
  }

  /** The names of the declared terms, in the order first seen. */
  Set<String> names() {
    return held.keySet();
  }

  /** A hold that replaces each declared term by its recorded value; one per loss evaluation. */
  BiFunction<String, NDArray, NDArray> replay() {
    Map<String, Integer> next = new HashMap<>();
    return (name, value) -> {
      List<Held> list = held.getOrDefault(name, List.of());
      int k = next.merge(name, 1, Integer::sum) - 1;
      if (k >= list.size()) {
        throw new AssertionError(
            "Detached.term(\""
                + name
                + "\", ...) was called "
                + (k + 1)
                + " times for a perturbed input but "
                + list.size()
                + " times for the unperturbed one; a loss must declare the same terms on every"
                + " call");
      }
      Held h = list.get(k);
      if (!h.shape().equals(value.getShape())) {
        throw new AssertionError(
            "Detached.term(\""
                + name
                + "\", ...) has shape "
                + value.getShape()
                + " for a perturbed input but "
                + h.shape()
                + " for the unperturbed one");
      }
      return value.getManager().create(h.values(), h.shape()).toType(value.getDataType(), false);
    };
  }
}
