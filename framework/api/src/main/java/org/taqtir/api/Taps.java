package org.taqtir.api;

import java.util.Set;

/**
 * The named features (taps) a strategy reads, declared by its provider for given parameters so the
 * core can plan the teacher's cache and check both models before anything is built or trained.
 *
 * @param student the student taps, e.g. {@code hidden1}; empty for response-based strategies
 * @param teacher the teacher taps, e.g. {@code hidden2}; empty for response-based strategies
 */
public record Taps(Set<String> student, Set<String> teacher) {

  /** No taps: the strategy reads logits (and labels) only. */
  public static final Taps NONE = new Taps(Set.of(), Set.of());

  /** Copies both sets. */
  public Taps {
    student = Set.copyOf(student);
    teacher = Set.copyOf(teacher);
  }

  /**
   * The taps of a strategy that reads one student tap and one teacher tap.
   *
   * @param pair the two layer names
   * @return the taps
   */
  public static Taps of(TapPair pair) {
    return new Taps(Set.of(pair.studentLayer()), Set.of(pair.teacherLayer()));
  }
}
