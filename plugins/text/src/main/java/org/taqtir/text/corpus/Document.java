package org.taqtir.text.corpus;

import java.util.Objects;

/**
 * One unit of a corpus that a split keeps whole: a chapter of a novel, an entry of a dictionary, a
 * localisation file.
 *
 * @param name where it comes from, e.g. {@code emma/chapter 12}
 * @param group the larger work it belongs to, e.g. {@code emma} (a held-out work is a group)
 * @param text its text, lines joined with {@code \n}
 */
public record Document(String name, String group, String text) {

  /** Checks that nothing is null. */
  public Document {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(text, "text");
  }
}
