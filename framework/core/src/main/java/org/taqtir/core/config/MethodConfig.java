package org.taqtir.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A training method: the weighted sum of one or more strategies' losses. Every student is trained
 * with every method.
 *
 * @param name unique within the study; a single-term method defaults to its strategy id
 * @param terms at least one term, in the order written
 */
public record MethodConfig(String name, List<Term> terms) {

  /** Copies the terms and checks there is at least one. */
  public MethodConfig {
    Objects.requireNonNull(name, "name");
    terms = List.copyOf(terms);
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("method " + name + " has no terms");
    }
  }
}
