package org.taqtir.core.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a student run is, recorded when it starts.
 *
 * @param label {@code student/method/seedN}, unique within the study
 * @param student the student's name
 * @param architecture its architecture description
 * @param method the method's name
 * @param description the method's terms as text, e.g. {@code 0.5·hinton-kd(T=4, α=0.9)}
 * @param params the run's parameters, round-trippable: each term's strategy id, weight, epochs and
 *     every parameter as the study file spells it ({@code terms.1.id = hinton-kd}, {@code
 *     terms.1.params.temperature = 4.0}), plus {@code seed}
 * @param seed the seed
 */
public record RunStart(
    String label,
    String student,
    String architecture,
    String method,
    String description,
    Map<String, String> params,
    long seed) {

  /** Copies the parameters. */
  public RunStart {
    Objects.requireNonNull(label, "label");
    params = Map.copyOf(params);
  }

  /**
   * Returns the parameters in a stable order.
   *
   * @return the parameters sorted by key
   */
  public List<Map.Entry<String, String>> sortedParams() {
    return params.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }
}
