package org.taqtir.core.eval;

/**
 * A result that shows itself as Markdown: the Taqtir Jupyter kernel renders a cell whose value is
 * one (e.g. a language-model study's report with its generated samples) as formatted text instead
 * of its {@code toString()}.
 */
public interface MarkdownView {

  /**
   * Returns the Markdown.
   *
   * @return the result as Markdown (tables, headings, code spans)
   */
  String markdown();
}
