package org.taqtir.core.config;

import java.util.Collection;
import java.util.Optional;

/** Edit distance, used to suggest the id or key a user probably meant. */
public final class Levenshtein {

  private Levenshtein() {}

  /**
   * Returns the number of single-character insertions, deletions and substitutions that turn {@code
   * a} into {@code b}.
   *
   * @param a the first string
   * @param b the second string
   * @return the edit distance, 0 when equal
   */
  public static int distance(CharSequence a, CharSequence b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * Finds the candidate closest to {@code target}, if it is close enough to be a plausible typo: at
   * most {@code max(1, target.length() / 3)} edits away. Ties go to the alphabetically first.
   *
   * @param target what the user wrote
   * @param candidates the valid names
   * @return the suggestion, or empty when nothing is close
   */
  public static Optional<String> closest(String target, Collection<String> candidates) {
    int limit = Math.max(1, target.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(target, c);
      if (d < bestDistance || (d == bestDistance && c.compareTo(best) < 0)) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }
}
