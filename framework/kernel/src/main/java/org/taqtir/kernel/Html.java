package org.taqtir.kernel;

import java.util.Objects;

/**
 * HTML to show as {@code text/html} when it is the value of a cell or passed to {@code display}.
 *
 * @param source the HTML fragment
 */
public record Html(String source) {

  /** Checks the source is present. */
  public Html {
    Objects.requireNonNull(source, "source");
  }
}
