package org.taqtir.kernel;

import java.util.Objects;

/**
 * Markdown to show as {@code text/markdown} when it is the value of a cell or passed to {@code
 * display}.
 *
 * @param source the Markdown text
 */
public record Markdown(String source) {

  /** Checks the source is present. */
  public Markdown {
    Objects.requireNonNull(source, "source");
  }
}
